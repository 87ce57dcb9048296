/**
 * The application harness: the whole service, as `npm start` builds it, on a fresh real database
 * and a random port. HTTP tests talk to it with fetch over loopback, never through mocks, and
 * read orders back through it: registration, detail, the stored row and the transition history.
 */
import type { INestApplication } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createApp, type HttpAdapterName } from '../../src/bootstrap';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import type { CaptureStateName, RegisterOrderInput } from '../../src/index';
import { OrderEntity } from '../../src/capture/persistence/entities';
import { registration } from './capture-testing';
import { createTestDatabase, DATABASE_KINDS, type DatabaseKind, type TestDatabase } from './databases';
import { readHistory } from './history';

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
  // Quiet unless a test asks for lines: the service's own default is info.
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    ...env,
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
  });
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

/** The admin token the API suites configure (ADMIN_TOKEN). */
export const TOKEN = 'test-admin-token-0123456789abcdef';

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}

/** A JSON call, with the app's own admin token unless another (or none: null) is given. */
export async function call<T = Record<string, unknown>>(
  t: TestApp,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = t.config.capture.adminToken ?? TOKEN,
): Promise<Answer<T>> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await t.http(path, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

/** An order as GET /orders/:id answers it. */
export interface OrderBody {
  id: string;
  merchantOrderId: string;
  acquirer: string;
  paymentId: string | null;
  paymentRequestId: string | null;
  state: CaptureStateName;
  review: null | { reason: string; since: string };
  authorizedAt: string;
  captureDeadline: string;
  createdAt: string;
  [key: string]: unknown;
}

interface Transition {
  from: CaptureStateName;
  to: CaptureStateName;
  event: string;
  source: string;
  at: string;
}

/** An order as GET /admin/orders/:id answers it. */
export interface DetailBody extends OrderBody {
  capturedAmount: { currency: string; value: string };
  attempts: {
    captureRequestId: string;
    status: string;
    amount: { value: string };
    origin: string;
    resultCode: string | null;
  }[];
  transitions: Transition[];
  notifications: { outcome: string; [key: string]: unknown }[];
}

/** Registers an order through POST /orders (a valid registration() with `overrides`). */
export async function registerOrder(
  t: TestApp,
  overrides: Partial<RegisterOrderInput> = {},
): Promise<OrderBody> {
  const res = await call<OrderBody>(t, 'POST', '/orders', registration(overrides));
  if (res.status !== 201) throw new Error(`registration answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function detail(t: TestApp, id: string): Promise<DetailBody> {
  const res = await call<DetailBody>(t, 'GET', `/admin/orders/${id}`);
  if (res.status !== 200) throw new Error(`GET /admin/orders/${id} answered ${res.status}`);
  return res.body;
}

/** The stored order row, for the columns no answer shows (nextCheckAt, reviewReason...). */
export function orderRow(t: TestApp, id: string): Promise<OrderEntity> {
  return t.dataSource.getRepository(OrderEntity).findOneByOrFail({ id });
}

/** The order's transitions, "EVENT:from->to", oldest first. */
export function history(t: TestApp, orderId: string): Promise<string[]> {
  return readHistory(t.dataSource, orderId);
}
