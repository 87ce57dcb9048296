import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { CAPTURE_ENTITIES } from './entities';
import { CAPTURE_MIGRATIONS } from './migrations';

export const DEFAULT_DATABASE_URL = 'sqlite:./data/order-capture.sqlite';

/**
 * TypeORM options from a DATABASE_URL: `sqlite:<path>` (better-sqlite3, WAL) or
 * `postgres://...`. `synchronize` is always off: the schema comes from migrations.
 */
export function databaseOptions(url: string, migrationsRun: boolean): DataSourceOptions {
  const common = {
    entities: CAPTURE_ENTITIES,
    migrations: CAPTURE_MIGRATIONS,
    migrationsRun,
    synchronize: false,
    logging: false,
  } as const;
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return { ...common, type: 'postgres', url, extra: { max: 20 } };
  }
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    const database = path === ':memory:' ? path : resolve(path);
    if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database,
      enableWAL: true,
      timeout: 10_000,
      // Foreign keys are off by default in SQLite; the schema relies on them.
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('foreign_keys = ON');
        db.pragma('synchronous = NORMAL');
      },
    };
  }
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got ${redactUrl(url)})`);
}

/** A database URL safe to print: the password replaced. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
