/**
 * POST /webhooks/antom: authenticity before anything else, and the edges of the HTTP contract
 * (content type, malformed JSON, body limit, database down), each answered with Antom's failure
 * acknowledgement and leaving nothing stored unless the notification was authentic.
 */
import { generateTestKeyPair, signAntomNotification } from '../fixtures/seed-bodies';
import { WebhookCounters } from '../../src/webhooks';
import {
  startTestApp,
  type TestApp,
  describeEachDatabaseAndAdapter,
  orderRow,
  registerOrder,
  history,
} from '../support/http-app';
import {
  ANTOM_SUCCESS_ACK,
  antomCaptureBody,
  generateWebhookKeys,
  notificationCount,
  notifications,
  postAntom,
  uniqueId,
  webhookEnv,
} from '../support/webhooks';

const keys = generateWebhookKeys();
const stranger = generateTestKeyPair();
const BODY_LIMIT = 4096;

const antomFailure = (code: string) => ({
  result: { resultCode: code, resultStatus: 'F', resultMessage: expect.any(String) },
});

describeEachDatabaseAndAdapter('Antom notifications: authenticity and HTTP edges', (kind, adapter) => {
  let t: TestApp;
  let proxied: TestApp;
  let payermaxOnly: TestApp;
  beforeAll(async () => {
    t = await startTestApp(
      kind,
      webhookEnv(keys, { BODY_LIMIT_BYTES: String(BODY_LIMIT) }),
      undefined,
      adapter,
    );
    // Behind a proxy that rewrites the path: Antom signed /edge/antom-notify, we serve /webhooks/antom.
    proxied = await startTestApp(
      kind,
      webhookEnv(keys, { ANTOM_NOTIFY_PATH: '/edge/antom-notify' }),
      undefined,
      adapter,
    );
    const env = webhookEnv(keys);
    for (const name of Object.keys(env)) if (name.startsWith('ANTOM_')) delete env[name];
    payermaxOnly = await startTestApp(kind, env, undefined, adapter);
  });
  afterAll(async () => {
    await payermaxOnly.close();
    await proxied.close();
    await t.close();
  });

  async function capturedCase() {
    const o = await registerOrder(t, { paymentId: uniqueId('PAY'), captureMode: 'AUTOMATIC' });
    return { o, body: antomCaptureBody({ paymentId: o.paymentId!, captureRequestId: uniqueId('CR') }) };
  }

  /** A refused delivery: 401, Antom's failure ack, nothing stored, nothing applied, counted. */
  async function expectRefused(request: () => Promise<{ status: number; body: unknown }>, orderId: string) {
    const counters = t.app.get(WebhookCounters);
    const before = { stored: await notificationCount(t), refused: counters.get('antom', 'unauthorized') };
    const res = await request();
    expect(res).toMatchObject({ status: 401, body: antomFailure('INVALID_SIGNATURE') });
    expect(await notificationCount(t)).toBe(before.stored);
    expect(counters.get('antom', 'unauthorized')).toBe(before.refused + 1);
    expect(await orderRow(t, orderId)).toMatchObject({ state: 'authorized' });
    expect(await history(t, orderId)).toEqual([]);
  }

  it('a signature by another key is refused', async () => {
    const { o, body } = await capturedCase();
    const forged = signAntomNotification(body, stranger.privateKey);
    await expectRefused(() => postAntom(t, body, keys, {}, { signature: forged.signature }), o.id);
  });

  it('a missing signature header is refused', async () => {
    const { o, body } = await capturedCase();
    await expectRefused(() => postAntom(t, body, keys, {}, { signature: undefined }), o.id);
  });

  it('a garbled signature header is refused', async () => {
    const { o, body } = await capturedCase();
    await expectRefused(
      () => postAntom(t, body, keys, {}, { signature: 'algorithm=RSA256,keyVersion=1,signature=%%%' }),
      o.id,
    );
  });

  it('a tampered body (one byte changed after signing) is refused', async () => {
    const { o, body } = await capturedCase();
    const signed = signAntomNotification(body, keys.antom.privateKey);
    const tampered = body.replace('"10000"', '"10001"');
    expect(tampered).not.toBe(body);
    await expectRefused(() => postAntom(t, tampered, keys, {}, { signature: signed.signature }), o.id);
  });

  it('a changed request-time header is refused (it is part of the signed content)', async () => {
    const { o, body } = await capturedCase();
    await expectRefused(() => postAntom(t, body, keys, {}, { 'request-time': '2030-01-01T00:00:00Z' }), o.id);
  });

  it('a signature over another path is refused', async () => {
    const { o, body } = await capturedCase();
    await expectRefused(() => postAntom(t, body, keys, { path: '/webhooks/other' }), o.id);
  });

  it('an unknown client-id is refused, even correctly signed', async () => {
    const { o, body } = await capturedCase();
    await expectRefused(() => postAntom(t, body, keys, { clientId: 'SANDBOX_SOMEONE_ELSE' }), o.id);
  });

  it('a missing client-id is refused', async () => {
    const { o, body } = await capturedCase();
    await expectRefused(() => postAntom(t, body, keys, {}, { 'client-id': undefined }), o.id);
  });

  it('unsigned malformed JSON is refused as unauthentic before it is parsed', async () => {
    const { o } = await capturedCase();
    await expectRefused(() => postAntom(t, '{"notifyType": ', keys, {}, { signature: undefined }), o.id);
  });

  it('signed malformed JSON is stored as rejected and answered 400 naming the body', async () => {
    const before = await notificationCount(t);
    const res = await postAntom(t, '{"notifyType": "CAPTURE_RESULT", ', keys);
    expect(res).toMatchObject({
      status: 400,
      body: {
        ...antomFailure('PARAM_ILLEGAL'),
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
    const { o, body } = await capturedCase();
    const before = await notificationCount(t);
    const res = await postAntom(t, body, keys, {}, { 'content-type': contentType });
    expect(res).toMatchObject({ status: 415, body: antomFailure('UNSUPPORTED_MEDIA_TYPE') });
    expect(res.text).not.toMatch(/at \w+ \(|node_modules/);
    expect(await notificationCount(t)).toBe(before);
    expect((await orderRow(t, o.id)).state).toBe('authorized');
  });

  it('a body over BODY_LIMIT_BYTES is answered 413 with the failure ack, nothing stored', async () => {
    const o = await registerOrder(t, { paymentId: uniqueId('PAY'), captureMode: 'AUTOMATIC' });
    const big = JSON.stringify({
      ...(JSON.parse(
        antomCaptureBody({ paymentId: o.paymentId!, captureRequestId: uniqueId('CR') }),
      ) as object),
      padding: 'x'.repeat(BODY_LIMIT),
    });
    const before = await notificationCount(t);
    const res = await postAntom(t, big, keys);
    expect(res).toMatchObject({ status: 413, body: antomFailure('REQUEST_TOO_LARGE') });
    expect(await notificationCount(t)).toBe(before);
    expect((await orderRow(t, o.id)).state).toBe('authorized');
  });

  it('notifications are refused while Antom is not configured', async () => {
    const body = antomCaptureBody({ paymentId: uniqueId('PAY'), captureRequestId: uniqueId('CR') });
    const res = await postAntom(payermaxOnly, body, keys);
    expect(res).toMatchObject({ status: 401, body: antomFailure('INVALID_SIGNATURE') });
    expect(await notificationCount(payermaxOnly)).toBe(0);
  });

  it('the path Antom signed is ANTOM_NOTIFY_PATH, not the path that reached us', async () => {
    const o = await registerOrder(proxied, { paymentId: uniqueId('PAY'), captureMode: 'AUTOMATIC' });
    const body = antomCaptureBody({ paymentId: o.paymentId!, captureRequestId: uniqueId('CR') });
    const direct = await postAntom(proxied, body, keys);
    expect(direct).toMatchObject({ status: 401, body: antomFailure('INVALID_SIGNATURE') });
    const viaProxy = await postAntom(proxied, body, keys, { path: '/edge/antom-notify' });
    expect(viaProxy).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    expect(await orderRow(proxied, o.id)).toMatchObject({ state: 'captured' });
  });

  it('with the database down: 503 and the failure ack, nothing written; the retry is applied', async () => {
    const { o, body } = await capturedCase();
    await t.dataSource.destroy();
    let res;
    try {
      res = await postAntom(t, body, keys);
    } finally {
      await t.dataSource.initialize();
    }
    expect(res).toMatchObject({ status: 503, body: antomFailure('SERVICE_UNAVAILABLE') });
    expect(await notifications(t, 'antom', o.paymentId!)).toEqual([]);
    expect(await history(t, o.id)).toEqual([]);

    expect(await postAntom(t, body, keys)).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    expect((await orderRow(t, o.id)).state).toBe('captured');
    expect((await notifications(t, 'antom', o.paymentId!)).map((n) => n.outcome)).toEqual(['applied']);
  });
});
