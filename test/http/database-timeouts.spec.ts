/**
 * PostgreSQL with bounded waits: with a table locked by another session (as good as a frozen
 * database for whoever needs that table), webhooks get the acquirer's failure acknowledgement
 * and API calls a 503 within seconds, more callers than the pool has connections included, and
 * everything answers normally once the lock is gone. A server that accepts connections and
 * never speaks fails the connection attempt in time too.
 *
 * PostgreSQL only: these are its timeouts (statement, lock, connect, pool). SQLite's lock wait
 * is sqlite-busy.spec.ts.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { databaseOptions } from '../../src/capture/persistence/database-options';
import type { TestApp } from '../support/http-app';
import { startTestApp, orderRow, registerOrder } from '../support/http-app';
import {
  ANTOM_SUCCESS_ACK,
  antomCaptureBody,
  generateWebhookKeys,
  pendingAttempt,
  uniqueId,
  webhookEnv,
} from '../support/webhooks';
import { signAntomNotification } from '../fixtures/seed-bodies';

const keys = generateWebhookKeys();
const LOCK_TIMEOUT_MS = 1000;
/** Far more than any bounded wait here, far less than forever: without timeouts this fails. */
const PATIENCE_MS = 8000;

describe('PostgreSQL: every wait is bounded', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(
      'postgres',
      webhookEnv(keys, {
        LOG_LEVEL: 'silent',
        DATABASE_LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS),
        DATABASE_STATEMENT_TIMEOUT_MS: '2000',
        DATABASE_CONNECT_TIMEOUT_MS: '2000',
      }),
    );
  });
  afterAll(() => t.close());

  const timed = async (path: string, init: RequestInit = {}) => {
    const started = Date.now();
    const res = await t.http(path, { ...init, signal: AbortSignal.timeout(PATIENCE_MS) });
    return { status: res.status, body: await res.json(), ms: Date.now() - started };
  };
  const get = (path: string) =>
    timed(path, { headers: { authorization: 'Bearer webhook-test-admin-token' } });
  const notify = (body: string) =>
    timed('/webhooks/antom', {
      method: 'POST',
      body,
      headers: signAntomNotification(body, keys.antom.privateKey),
    });

  it('a locked orders table: 503s within seconds, then normal answers once it is released', async () => {
    const o = await registerOrder(t, { paymentId: uniqueId('PAY') });
    const captureRequestId = uniqueId('CR');
    await pendingAttempt(t, o.id, captureRequestId, '10000');
    const body = antomCaptureBody({ paymentId: o.paymentId!, captureRequestId });

    const holder = new Client({ connectionString: t.db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');

      const webhook = await notify(body);
      expect(webhook.status).toBe(503);
      expect(webhook.body).toMatchObject({
        result: { resultCode: 'SERVICE_UNAVAILABLE', resultStatus: 'F' },
      });
      expect(webhook.ms).toBeLessThan(4000);

      // More callers at once than the pool has connections (20): each still gets its answer.
      const many = await Promise.all(Array.from({ length: 25 }, () => get(`/orders/${o.id}`)));
      for (const res of many) {
        expect(res.status).toBe(503);
        expect(res.body).toEqual({
          statusCode: 503,
          error: 'Service Unavailable',
          message: 'service unavailable, try again',
        });
        expect(res.ms).toBeLessThan(5000);
      }
      // Liveness never needs the database.
      expect((await timed('/health/live')).ms).toBeLessThan(1000);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }

    // The acquirer's retry goes through, and the pool serves as before.
    expect(await notify(body)).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    expect((await orderRow(t, o.id)).state).toBe('captured');
    const after = await Promise.all(Array.from({ length: 25 }, () => get(`/orders/${o.id}`)));
    expect(after.map((r) => r.status)).toEqual(Array(25).fill(200));
  });
});

describe('PostgreSQL: a server that accepts and never answers', () => {
  let server: Server;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails the connection within the connect timeout instead of waiting forever', async () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const ds = new DataSource(
      databaseOptions(`postgres://app:secret@127.0.0.1:${port}/orders`, false, {
        connectTimeoutMs: 500,
        statementTimeoutMs: 1000,
        lockTimeoutMs: 1000,
        idleInTransactionTimeoutMs: 1000,
      }),
    );
    const started = Date.now();
    const outcome = await Promise.race([
      ds.initialize().then(
        () => 'connected',
        (err: Error) => `failed: ${err.message}`,
      ),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), PATIENCE_MS)),
    ]);
    expect(outcome).toMatch(/^failed: .*timeout/i);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
