import type { Provider } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** The host's DataSource the module works on (TypeORM connection chosen by `connectionName`). */
export const CAPTURE_DATA_SOURCE = Symbol('CAPTURE_DATA_SOURCE');

/**
 * Resolved optionally so that a missing connection is reported as what it is: Nest's own message
 * ("can't resolve dependencies of the UnitOfWork (?)") points at our class, not at the host's
 * TypeORM setup or at a second copy of typeorm installed beside ours.
 */
export function captureDataSourceProvider(connectionName?: string): Provider {
  return {
    provide: CAPTURE_DATA_SOURCE,
    inject: [{ token: getDataSourceToken(connectionName), optional: true }],
    useFactory: (dataSource: DataSource | undefined) => {
      if (dataSource) return dataSource;
      const name = connectionName ?? 'default';
      throw new Error(
        `order-capture: no TypeORM DataSource "${name}" is available. Import TypeOrmModule.forRoot({...` +
          `${connectionName ? ` name: '${name}',` : ''} entities: [...CAPTURE_ENTITIES], migrations: [...CAPTURE_MIGRATIONS] })` +
          ' in the host app. If it is imported, the app holds two copies of typeorm or @nestjs/typeorm' +
          ' (`npm ls typeorm @nestjs/typeorm`): order-capture takes them as peer dependencies, so install it' +
          ' from the registry or a packed tarball, not as a link.',
      );
    },
  };
}
