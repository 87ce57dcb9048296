/**
 * The whole service, as `npm start` builds it, on a fresh real database and a random port:
 * HTTP tests talk to it with fetch over loopback, through Fastify, never through mocks.
 */
import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createApp, type HttpAdapterName } from '../../src/bootstrap';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { createTestDatabase, DATABASE_KINDS, type DatabaseKind, type TestDatabase } from './databases';

export interface TestApp {
  app: INestApplication;
  adapter?: HttpAdapterName;
  config: AppConfig;
  db: TestDatabase;
  baseUrl: string;
  dataSource: DataSource;
  /** fetch relative to the app: `http('/health')`. */
  http(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function startTestApp(
  kind: DatabaseKind,
  env: Record<string, string> = {},
  existing?: TestDatabase,
  adapter: HttpAdapterName = 'fastify',
): Promise<TestApp> {
  const db = existing ?? (await createTestDatabase(kind));
  const config = loadConfig({ ...env, DATABASE_URL: db.url, PORT: '0', HOST: '127.0.0.1' });
  const app = await createApp(config, { adapter });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    adapter,
    config,
    db,
    baseUrl,
    dataSource: app.get<DataSource>(getDataSourceToken()),
    http: (path, init) => fetch(`${baseUrl}${path}`, init),
    close: async () => {
      await app.close();
      if (!existing) await db.drop();
    },
  };
}

export const HTTP_ADAPTERS: HttpAdapterName[] = ['fastify', 'express'];

/** describe() once per database and HTTP adapter: "... [postgres, express]". */
export function describeEachDatabaseAndAdapter(
  title: string,
  body: (kind: DatabaseKind, adapter: HttpAdapterName) => void,
): void {
  for (const adapter of HTTP_ADAPTERS) {
    for (const kind of DATABASE_KINDS) describe(`${title} [${kind}, ${adapter}]`, () => body(kind, adapter));
  }
}
