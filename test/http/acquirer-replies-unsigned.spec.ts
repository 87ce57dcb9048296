/**
 * The whole service in live mode against an "acquirer" on loopback that answers every capture
 * with an unsigned S (what an attacker on the path, or a misrouted proxy, could send): the order
 * is not captured, nothing tells the shop to ship, and the metric counts the reply by acquirer
 * and reason.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CaptureExecutor } from '../../src/capture/execution/capture-executor';
import { OutboxEventEntity } from '../../src/capture/persistence/entities';
import { describeEachDatabase } from '../support/databases';
import type { TestApp } from '../support/http-app';
import { generateWebhookKeys, webhookEnv } from '../support/webhooks';
import { sample, scrapeUntil } from './metrics-scrape';
import { startApiApp } from './orders-api.support';
import { TOKEN, call, detail, registerOrder } from '../support/http-app';

const keys = generateWebhookKeys();
const METRIC = 'order_capture_acquirer_responses_unverified_total';

describeEachDatabase('an unsigned acquirer reply in live mode', (kind) => {
  let server: Server;
  let calls = 0;
  let t: TestApp;
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        calls += 1;
        const body = JSON.stringify({
          result: { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' },
          captureId: 'FORGED',
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await startApiApp(
      kind,
      webhookEnv(keys, { ADMIN_TOKEN: TOKEN, ANTOM_BASE_URL: url, LOG_LEVEL: 'silent' }),
    );
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('leaves the capture pending (U), emits no order.captured, and counts the reply as missing', async () => {
    const order = await registerOrder(t);
    const res = await call(t, 'POST', `/admin/orders/${order.id}/capture`, {});
    expect(res.status).toBe(202);
    await t.app.get(CaptureExecutor).whenIdle();

    // The client repeated the same request (default policy: 2 repeats), none believed.
    expect(calls).toBe(3);
    const after = await scrapeUntil(
      t,
      (s) => sample(s, METRIC, { acquirer: 'antom', reason: 'missing' }) >= 3,
    );
    expect(sample(after, METRIC, { acquirer: 'antom', reason: 'missing' })).toBe(3);
    const d = await detail(t, order.id);
    expect(d.state).toBe('capturePending');
    expect(d.attempts).toEqual([expect.objectContaining({ status: 'pending' })]);
    const events = await t.dataSource.getRepository(OutboxEventEntity).findBy({ orderId: order.id });
    expect(events.map((e) => e.type)).not.toContain('order.captured');
  });
});
