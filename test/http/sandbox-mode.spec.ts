/**
 * ACQUIRER_MODE=sandbox as `npm start` wires it (main.ts): no keys configured, an in-process
 * sandbox with generated keys fills in both acquirers, and its notifications come back to the
 * service's own webhook routes, verified and acknowledged. SQLite, the `npm start` default.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AntomClient } from '../../src/acquirers/antom/antom-client';
import { PayermaxClient } from '../../src/acquirers/payermax/payermax-client';
import { createApp } from '../../src/bootstrap';
import { ACQUIRER_CLIENTS, type AcquirerClients } from '../../src/capture/ports/acquirer-port';
import { ConfigError, loadConfig, type AppConfig } from '../../src/config/app-config';
import type { Sandbox } from '../../src/sandbox/sandbox';
import { loopbackUrl, withSandboxAcquirers } from '../../src/sandbox/wiring';
import { registration } from '../support/capture-testing';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { generateTestKeyPair } from '../fixtures/seed-bodies';
import { closedPort, eventually, quiet } from './sandbox.support';

describe('sandbox mode wiring', () => {
  it('leaves live mode, and acquirers that are configured, alone', async () => {
    const keys = generateTestKeyPair();
    const live = loadConfig({
      ACQUIRER_MODE: 'live',
      ADMIN_TOKEN: 'a-long-enough-admin-token',
      ANTOM_BASE_URL: 'https://open-sea-global.alipay.com',
      ANTOM_CLIENT_ID: 'LIVE',
      ANTOM_MERCHANT_PRIVATE_KEY: keys.privateKeyBase64,
      ANTOM_PUBLIC_KEY: keys.publicKeyBase64,
    });
    expect(await withSandboxAcquirers(live)).toEqual({ config: live, sandbox: null });

    const partly = loadConfig({
      ANTOM_BASE_URL: 'https://open-sea-global.alipay.com',
      ANTOM_CLIENT_ID: 'LIVE',
      ANTOM_MERCHANT_PRIVATE_KEY: keys.privateKeyBase64,
      ANTOM_PUBLIC_KEY: keys.publicKeyBase64,
    });
    const wired = await withSandboxAcquirers(partly, {}, { logger: quiet });
    try {
      expect(wired.config.capture.antom).toBe(partly.capture.antom);
      expect(wired.config.capture.payermax?.baseUrl).toBe(wired.sandbox?.url);
    } finally {
      await wired.sandbox?.close();
    }
  });

  it('listens on SANDBOX_PORT when it is set (0: any free port), and names it when it is not a port', async () => {
    const port = await closedPort();
    const wired = await withSandboxAcquirers(
      loadConfig({}),
      { SANDBOX_PORT: String(port) },
      { logger: quiet },
    );
    try {
      expect(wired.sandbox?.url).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await wired.sandbox?.close();
    }
    for (const bad of ['http', '-1', '70000', '1.5']) {
      await expect(
        withSandboxAcquirers(loadConfig({}), { SANDBOX_PORT: bad }, { logger: quiet }),
      ).rejects.toThrow(ConfigError);
      await expect(
        withSandboxAcquirers(loadConfig({}), { SANDBOX_PORT: bad }, { logger: quiet }),
      ).rejects.toThrow(`SANDBOX_PORT must be a port number, 0 for any free port (got "${bad}")`);
    }
  });

  describe('the service with no acquirer configured', () => {
    let db: TestDatabase;
    let config: AppConfig;
    let sandbox: Sandbox;
    let app: NestFastifyApplication;
    let baseUrl: string;

    beforeAll(async () => {
      db = await createTestDatabase('sqlite');
      const base = loadConfig({
        DATABASE_URL: db.url,
        PORT: '0',
        HOST: '127.0.0.1',
        SCHEDULER_ENABLED: 'false',
        LOG_LEVEL: 'silent',
      });
      const wired = await withSandboxAcquirers(base, { SANDBOX_TIME_SCALE: '1000' }, { logger: quiet });
      config = wired.config;
      sandbox = wired.sandbox!;
      app = await createApp(config);
      await app.listen(0, '127.0.0.1');
      baseUrl = loopbackUrl(app.getHttpServer().address());
      sandbox.setNotifyBaseUrl(baseUrl);
    });

    afterAll(async () => {
      // The sandbox first: its notifier must not be mid-delivery to a service that is going away.
      await sandbox?.close();
      await app?.close();
      await db?.drop();
    });

    it('points both acquirers at the sandbox with generated keys (a SANDBOX_ client id)', () => {
      expect(config.acquirerMode).toBe('sandbox');
      expect(config.capture.antom).toMatchObject({
        baseUrl: sandbox.url,
        clientId: expect.stringMatching(/^SANDBOX_/),
      });
      expect(config.capture.payermax).toMatchObject({ baseUrl: sandbox.url, amountUnit: 'major' });
      const clients = app.get<AcquirerClients>(ACQUIRER_CLIENTS);
      expect(clients.antom).toBeInstanceOf(AntomClient);
      expect(clients.payermax).toBeInstanceOf(PayermaxClient);
    });

    it.each(['antom', 'payermax'] as const)(
      '%s: a capture through the app clients succeeds and its notification is acknowledged by the service',
      async (acquirer) => {
        const order = registration({ acquirer });
        const headers = {
          authorization: `Bearer ${config.capture.adminToken}`,
          'content-type': 'application/json',
        };
        const created = await fetch(`${baseUrl}/orders`, {
          method: 'POST',
          headers,
          body: JSON.stringify(order),
        });
        expect(created.status).toBe(201);

        const client = app.get<AcquirerClients>(ACQUIRER_CLIENTS)[acquirer];
        const captureRequestId = `sbx-mode-${acquirer}-${Date.now()}`;
        const result = await client.capture({
          paymentId: order.paymentId,
          captureRequestId,
          amount: order.amount,
          isLast: true,
        });
        expect(result).toMatchObject({ status: 'S', amount: order.amount });

        await eventually(() => {
          const [delivery] = sandbox.deliveries(captureRequestId);
          expect(delivery).toMatchObject({ httpStatus: 200, acknowledged: true });
          expect(delivery!.url.startsWith(baseUrl)).toBe(true);
        }, 10_000);
        expect(sandbox.counts(order.paymentId).byPaymentId[order.paymentId]).toMatchObject({
          succeeded: 1,
        });
      },
    );

    it('an operator capture of a MANUAL order goes through the sandbox and ends captured, once', async () => {
      const order = registration({ acquirer: 'antom' });
      const headers = {
        authorization: `Bearer ${config.capture.adminToken}`,
        'content-type': 'application/json',
      };
      const created = await fetch(`${baseUrl}/orders`, {
        method: 'POST',
        headers,
        body: JSON.stringify(order),
      });
      const { id } = (await created.json()) as { id: string };
      const accepted = await fetch(`${baseUrl}/admin/orders/${id}/capture`, {
        method: 'POST',
        headers,
        body: '{}',
      });
      expect(accepted.status).toBe(202);
      const { captureRequestId } = (await accepted.json()) as { captureRequestId: string };
      await eventually(async () => {
        const res = await fetch(`${baseUrl}/orders/${id}`, { headers });
        expect(await res.json()).toMatchObject({ state: 'captured', capturedAmount: order.amount });
        expect(sandbox.deliveries(captureRequestId)).toEqual([
          expect.objectContaining({ acknowledged: true }),
        ]);
      }, 10_000);
      expect(sandbox.counts(order.paymentId).byPaymentId[order.paymentId]).toMatchObject({
        calls: 1,
        captures: 1,
        succeeded: 1,
        capturedValue: order.amount.value,
      });
    });
  });
});
