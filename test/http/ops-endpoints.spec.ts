/**
 * The ops endpoints through the real HTTP stack: /metrics, /docs (UI and assets), /docs-json
 * and /health/details want the ops token (OPS_TOKEN when set, else ADMIN_TOKEN) and answer 401
 * in the API's error shape otherwise; /health and /health/live stay anonymous.
 */
import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { CAPTURE_OPTIONS } from '../../src/capture/options/capture-options';
import { setupOpenApi } from '../../src/http/http-setup';
import { describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp } from '../support/http-app';

const ADMIN_TOKEN = 'ops-test-admin-token-0123456789';
const OPS_TOKEN = 'ops-test-ops-token-9876543210';
const PROTECTED = ['/metrics', '/docs', '/docs/', '/docs-json', '/docs-yaml', '/health/details'];
/** Spellings of the same routes a router may accept: none may slip past the check. */
const SPELLINGS = ['/docs-json?x=1', '/%64ocs-json', '//docs-json', '/docs/swagger-ui-init.js'];

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function expectRefused(t: TestApp, path: string, headers: Record<string, string> = {}) {
  const res = await t.http(path, { headers });
  expect({ path, status: res.status }).toEqual({ path, status: 401 });
  expect(res.headers.get('www-authenticate')).toBe('Bearer');
  const body = await res.json();
  expect(body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
  return body as { message: string };
}

describeEachDatabase('ops endpoints with ADMIN_TOKEN only', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { LOG_LEVEL: 'silent', ADMIN_TOKEN, SCHEDULER_ENABLED: 'false' });
  });
  afterAll(() => t.close());

  it('answers 401 without a token or with a wrong one', async () => {
    for (const path of [...PROTECTED, ...SPELLINGS]) {
      const missing = await expectRefused(t, path);
      expect(missing.message).toMatch(/bearer token is required.*OPS_TOKEN.*ADMIN_TOKEN/);
      expect((await expectRefused(t, path, bearer('not-the-token-at-all'))).message).toBe(
        'invalid bearer token',
      );
    }
  });

  it('serves them with the ADMIN_TOKEN', async () => {
    for (const path of PROTECTED.filter((p) => p !== '/docs-yaml')) {
      const res = await t.http(path, { headers: bearer(ADMIN_TOKEN) });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
    const metrics = await t.http('/metrics', { headers: bearer(ADMIN_TOKEN) });
    expect(await metrics.text()).toContain('order_capture_orders');
  });

  it('leaves /health and /health/live anonymous', async () => {
    expect((await t.http('/health')).status).toBe(200);
    expect((await t.http('/health/live')).status).toBe(200);
  });
});

describeEachDatabase('ops endpoints with OPS_TOKEN set', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { LOG_LEVEL: 'silent', ADMIN_TOKEN, OPS_TOKEN, SCHEDULER_ENABLED: 'false' });
  });
  afterAll(() => t.close());

  it('takes the OPS_TOKEN, and no longer the ADMIN_TOKEN', async () => {
    for (const path of ['/metrics', '/docs', '/docs-json', '/health/details']) {
      expect((await t.http(path, { headers: bearer(OPS_TOKEN) })).status).toBe(200);
      await expectRefused(t, path, bearer(ADMIN_TOKEN));
    }
  });

  it('does not open /orders or /admin to the OPS_TOKEN', async () => {
    expect((await t.http('/admin/stats', { headers: bearer(OPS_TOKEN) })).status).toBe(401);
    expect((await t.http('/admin/stats', { headers: bearer(ADMIN_TOKEN) })).status).toBe(200);
  });
});

describe.each(['fastify', 'express'] as const)('/docs of a host app on %s', (platform) => {
  let app: INestApplication;
  let base: string;
  beforeAll(async () => {
    @Module({ providers: [{ provide: CAPTURE_OPTIONS, useValue: { adminToken: ADMIN_TOKEN } }] })
    class HostModule {}
    const adapter = platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
    app = await NestFactory.create(HostModule, adapter, { logger: false });
    setupOpenApi(app);
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(() => app.close());

  it('wants the ops token', async () => {
    for (const path of ['/docs', '/docs-json', '/%64ocs-json']) {
      const res = await fetch(`${base}${path}`);
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
      expect(await res.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    }
    expect((await fetch(`${base}/docs-json`, { headers: bearer(ADMIN_TOKEN) })).status).toBe(200);
  });
});
