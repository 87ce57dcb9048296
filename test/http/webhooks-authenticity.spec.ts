/**
 * Either acquirer's webhook route: authenticity before anything else, and the edges of the HTTP
 * contract (content type, malformed JSON, body limit, database down), each answered with the
 * acquirer's failure acknowledgement and leaving nothing stored unless the notification was
 * authentic. The acquirer-specific parts of the signature (Antom's client-id, request-time and
 * path; PayerMax's merchant and plain base64) are in webhooks-antom-auth.spec.ts and
 * webhooks-payermax-auth.spec.ts.
 */
import { generateTestKeyPair } from '../fixtures/seed-bodies';
import { DRIVERS, type AcquirerDriver } from '../support/acquirer-drivers';
import { edited } from '../support/body-edit';
import {
  describeEachDatabaseAndAdapter,
  history,
  orderRow,
  startTestApp,
  type TestApp,
} from '../support/http-app';
import { generateWebhookKeys, notificationCount, webhookEnv, type WebhookAnswer } from '../support/webhooks';
import { refusedForSignature } from './metrics-scrape';

const keys = generateWebhookKeys();
const stranger = generateTestKeyPair();
/** Keys whose acquirer keys are a stranger's: what they sign, no configured acquirer signed. */
const forger = { ...keys, antom: stranger, payermax: stranger };
const BODY_LIMIT = 4096;

describeEachDatabaseAndAdapter('notifications: authenticity and HTTP edges', (kind, adapter) => {
  let t: TestApp;
  /** One app per acquirer, configured with only the other one. */
  const without: Partial<Record<AcquirerDriver['name'], TestApp>> = {};
  beforeAll(async () => {
    t = await startTestApp(
      kind,
      webhookEnv(keys, { BODY_LIMIT_BYTES: String(BODY_LIMIT) }),
      undefined,
      adapter,
    );
    for (const acq of DRIVERS) {
      const env = webhookEnv(keys);
      const prefix = `${acq.name.toUpperCase()}_`;
      for (const name of Object.keys(env)) if (name.startsWith(prefix)) delete env[name];
      without[acq.name] = await startTestApp(kind, env, undefined, adapter);
    }
  });
  afterAll(async () => {
    for (const app of Object.values(without)) await app.close();
    await t.close();
  });

  describe.each(DRIVERS)('$name', (acq) => {
    /** An AUTOMATIC order and a success that captures it. */
    async function capturable() {
      const o = await acq.register(t, { captureMode: 'AUTOMATIC' });
      const notice = { paymentId: o.paymentId, captureRequestId: acq.captureRequestId(), currency: 'USD' };
      return { o, notice, body: acq.captureBody({ ...notice, value: '10000' }) };
    }

    /** A refused delivery: 401, the failure ack, nothing stored, nothing applied, counted. */
    async function expectRefused(request: () => Promise<WebhookAnswer>, orderId: string) {
      const before = { stored: await notificationCount(t), refused: await refusedForSignature(t, acq.name) };
      expect(await request()).toMatchObject({ status: 401, body: acq.failureAck('INVALID_SIGNATURE') });
      expect(await notificationCount(t)).toBe(before.stored);
      expect(await refusedForSignature(t, acq.name)).toBe(before.refused + 1);
      expect(await orderRow(t, orderId)).toMatchObject({ state: 'authorized' });
      expect(await history(t, orderId)).toEqual([]);
    }

    it('a signature by another key is refused', async () => {
      const { o, body } = await capturable();
      await expectRefused(() => acq.send(t, body, forger), o.id);
    });

    it('a missing signature header is refused', async () => {
      const { o, body } = await capturable();
      await expectRefused(
        () => acq.send(t, body, keys, { headers: { [acq.signatureHeader]: undefined } }),
        o.id,
      );
    });

    it('a tampered body (the amount changed after signing) is refused', async () => {
      const { o, notice, body } = await capturable();
      const signature = acq.signedHeaders(body, keys)[acq.signatureHeader];
      const tampered = acq.captureBody({ ...notice, value: '10001' });
      expect(tampered).not.toBe(body);
      await expectRefused(
        () => acq.send(t, tampered, keys, { headers: { [acq.signatureHeader]: signature } }),
        o.id,
      );
    });

    it('notifications are refused while the acquirer is not configured', async () => {
      const { body } = await capturable();
      const app = without[acq.name]!;
      expect(await acq.send(app, body, keys)).toMatchObject({
        status: 401,
        body: acq.failureAck('INVALID_SIGNATURE'),
      });
      expect(await notificationCount(app)).toBe(0);
    });

    it('signed malformed JSON is stored as rejected and answered 400 naming the body', async () => {
      const before = await notificationCount(t);
      const res = await acq.send(t, `{"notifyType": "${acq.notifyType}", `, keys);
      expect(res).toMatchObject({
        status: 400,
        body: {
          ...(acq.failureAck('PARAM_ILLEGAL') as object),
          details: [{ field: 'body', rule: expect.stringContaining('JSON') }],
        },
      });
      expect(res.text).not.toMatch(/at \w+ \(|node_modules|\.ts:/);
      expect(await notificationCount(t)).toBe(before + 1);
    });

    it.each([
      ['text/plain', 'text/plain'],
      ['application/xml', 'application/xml'],
      ['a form', 'application/x-www-form-urlencoded'],
    ])('a body sent as %s is answered 415 with the failure ack', async (_name, contentType) => {
      const { o, body } = await capturable();
      const before = await notificationCount(t);
      const res = await acq.send(t, body, keys, { headers: { 'content-type': contentType } });
      expect(res).toMatchObject({ status: 415, body: acq.failureAck('UNSUPPORTED_MEDIA_TYPE') });
      expect(res.text).not.toMatch(/at \w+ \(|node_modules/);
      expect(await notificationCount(t)).toBe(before);
      expect((await orderRow(t, o.id)).state).toBe('authorized');
    });

    it('a body over BODY_LIMIT_BYTES is answered 413 with the failure ack, nothing stored', async () => {
      const { o, body } = await capturable();
      const before = await notificationCount(t);
      const big = JSON.stringify(edited(body, ['padding', 'x'.repeat(BODY_LIMIT)]));
      const res = await acq.send(t, big, keys);
      expect(res).toMatchObject({ status: 413, body: acq.failureAck('REQUEST_TOO_LARGE') });
      expect(await notificationCount(t)).toBe(before);
      expect((await orderRow(t, o.id)).state).toBe('authorized');
    });

    it('with the database down: 503 and the failure ack, nothing written; the retry is applied', async () => {
      const { o, body } = await capturable();
      await t.dataSource.destroy();
      let res;
      try {
        res = await acq.send(t, body, keys);
      } finally {
        await t.dataSource.initialize();
      }
      expect(res).toMatchObject({ status: 503, body: acq.failureAck('SERVICE_UNAVAILABLE') });
      expect(await acq.notifications(t, o.paymentId)).toEqual([]);
      expect(await history(t, o.id)).toEqual([]);

      expect(await acq.send(t, body, keys)).toMatchObject({ status: 200, body: acq.successAck });
      expect((await orderRow(t, o.id)).state).toBe('captured');
      expect((await acq.notifications(t, o.paymentId)).map((n) => n.outcome)).toEqual(['applied']);
    });
  });
});
