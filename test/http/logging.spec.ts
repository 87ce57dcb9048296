/**
 * Structured logs: one JSON line per request with its request id (the caller's x-request-id
 * when sane, echoed back) and the order id once known; never a signature, bearer token or body.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import { createApp } from '../../src/bootstrap';
import { loadConfig } from '../../src/config/app-config';
import { createRootLogger } from '../../src/observability/logger';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import type { TestApp } from '../support/http-app';
import { rawPost } from '../support/raw-http';
import {
  antomCaptureBody,
  generateWebhookKeys,
  pendingAttempt,
  postAntom,
  uniqueId,
  webhookEnv,
} from '../support/webhooks';
import { registerOrder } from '../support/http-app';

type Line = Record<string, unknown>;

const keys = generateWebhookKeys();
const ADMIN_TOKEN = 'logging-test-admin-token-0001';

describe('logs', () => {
  const lines: Line[] = [];
  let db: TestDatabase;
  let app: NestFastifyApplication;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    const env = webhookEnv(keys, { ADMIN_TOKEN, DATABASE_URL: db.url, LOG_LEVEL: 'info' });
    const config = loadConfig(env);
    const logger = createRootLogger('info', {
      write: (line: string) => void lines.push(JSON.parse(line) as Line),
    });
    app = await createApp(config, { logger });
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    t = {
      app,
      config,
      db,
      baseUrl,
      dataSource: app.get(getDataSourceToken()),
      http: (path, init) => fetch(`${baseUrl}${path}`, init),
      close: () => app.close(),
    };
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const completed = (reqId: string) => lines.find((l) => l.msg === 'request completed' && l.reqId === reqId);

  it('logs the path of an absolute-form request target, without scheme, host or query', async () => {
    const headers = { 'x-request-id': 'abs-form-1', 'content-type': 'application/json' };
    const res = await rawPost(t.baseUrl, `${t.baseUrl}/orders?probe=1`, headers, '{}');
    expect(res.status).toBe(401);
    expect(completed('abs-form-1')).toMatchObject({ method: 'POST', path: '/orders', status: 401 });
  });

  it('gives each request an id, echoed as x-request-id and carried by its log line', async () => {
    const given = await t.http('/health/live', { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(given.headers.get('x-request-id')).toBe('trace-abc.123');
    expect(completed('trace-abc.123')).toMatchObject({
      level: 'info',
      method: 'GET',
      path: '/health/live',
      status: 200,
      ms: expect.any(Number),
      service: 'order-capture',
      time: expect.any(String),
    });

    const generated = await t.http('/health/live');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

    // A caller's id that could forge log lines or headers is replaced, not echoed.
    const hostile = await t.http('/health/live', { headers: { 'x-request-id': 'a b"c'.repeat(10) } });
    expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('puts the order id on the lines of a request that touched an order', async () => {
    const o = await registerOrder(t, { paymentId: uniqueId('PAY') });
    await t.http(`/orders/${o.id}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'x-request-id': 'order-read-1' },
    });
    expect(completed('order-read-1')).toMatchObject({ orderId: o.id, status: 200 });

    const captureRequestId = uniqueId('CR');
    await pendingAttempt(t, o.id, captureRequestId, '10000');
    const res = await postAntom(
      t,
      antomCaptureBody({ paymentId: o.paymentId!, captureRequestId }),
      keys,
      {},
      {
        'x-request-id': 'webhook-1',
      },
    );
    expect(res.status).toBe(200);
    expect(completed('webhook-1')).toMatchObject({ orderId: o.id, path: '/webhooks/antom', status: 200 });
  });

  it('never writes signatures, bearer tokens or notification bodies', async () => {
    const o = await registerOrder(t, { paymentId: uniqueId('PAY') });
    const captureRequestId = uniqueId('CR');
    await pendingAttempt(t, o.id, captureRequestId, '10000');
    const body = antomCaptureBody({ paymentId: o.paymentId!, captureRequestId });
    await postAntom(t, body, keys);
    await postAntom(t, body, keys, {}, { signature: 'algorithm=RSA256,keyVersion=1,signature=Zm9yZ2Vk' });
    await t.http('/orders/nope', { headers: { authorization: 'Bearer wrong-token-wrong-token' } });

    const text = lines.map((l) => JSON.stringify(l)).join('\n');
    expect(lines.length).toBeGreaterThan(3);
    expect(text).not.toContain('Zm9yZ2Vk');
    expect(text).not.toContain('signature=');
    expect(text).not.toContain(ADMIN_TOKEN);
    expect(text).not.toContain('wrong-token-wrong-token');
    expect(text).not.toContain('captureAmount');
    expect(text).not.toContain('PRIVATE KEY');
  });

  it('redacts secret fields of structured log calls', () => {
    const seen: Line[] = [];
    const logger = createRootLogger('info', {
      write: (line: string) => void seen.push(JSON.parse(line) as Line),
    });
    logger.info(
      {
        headers: {
          authorization: 'Bearer x',
          signature: 'sig',
          sign: 's',
          'content-type': 'application/json',
        },
        body: '{"a":1}',
        rawBody: 'raw',
        settings: { merchantPrivateKey: 'key', clientId: 'c' },
      },
      'request',
    );
    expect(seen[0]).toMatchObject({
      headers: {
        authorization: '[redacted]',
        signature: '[redacted]',
        sign: '[redacted]',
        'content-type': 'application/json',
      },
      body: '[redacted]',
      rawBody: '[redacted]',
      settings: { merchantPrivateKey: '[redacted]', clientId: 'c' },
    });
  });
});
