/**
 * POST /webhooks/antom reached the ways HTTP/1.1 allows: an absolute-form request target, and
 * a notify URL with a query string (Antom signs the notify URL's path with its query). The
 * signature check, the raw-body handling and the acknowledgement format must not depend on it.
 */
import { signAntomNotification, TEST_ANTOM_NOTIFY_PATH } from '../fixtures/seed-bodies';
import {
  startTestApp,
  type TestApp,
  describeEachDatabaseAndAdapter,
  orderRow,
  registerOrder,
} from '../support/http-app';
import { rawPost } from '../support/raw-http';
import {
  ANTOM_SUCCESS_ACK,
  antomCaptureBody,
  generateWebhookKeys,
  uniqueId,
  webhookEnv,
} from '../support/webhooks';

const keys = generateWebhookKeys();

describeEachDatabaseAndAdapter('Antom notifications: request targets', (kind, adapter) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, webhookEnv(keys), undefined, adapter);
  });
  afterAll(() => t.close());

  async function capturedCase() {
    const o = await registerOrder(t, { paymentId: uniqueId('PAY'), captureMode: 'AUTOMATIC' });
    return { o, body: antomCaptureBody({ paymentId: o.paymentId!, captureRequestId: uniqueId('CR') }) };
  }

  it('applies a notification sent with an absolute-form target', async () => {
    const { o, body } = await capturedCase();
    const headers = signAntomNotification(body, keys.antom.privateKey);
    const res = await rawPost(t.baseUrl, `${t.baseUrl}${TEST_ANTOM_NOTIFY_PATH}`, headers, body);
    expect({ status: res.status, body: JSON.parse(res.body) }).toEqual({
      status: 200,
      body: ANTOM_SUCCESS_ACK,
    });
    expect(await orderRow(t, o.id)).toMatchObject({ state: 'captured' });
  });

  it('answers signed malformed JSON with an absolute-form target in Antom’s format, after the signature', async () => {
    const body = '{"notifyType": ';
    const signed = signAntomNotification(body, keys.antom.privateKey);
    const target = `${t.baseUrl}${TEST_ANTOM_NOTIFY_PATH}`;
    const res = await rawPost(t.baseUrl, target, signed, body);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({
      result: { resultStatus: 'F', resultCode: 'PARAM_ILLEGAL' },
    });
    const unsigned = await rawPost(
      t.baseUrl,
      target,
      { ...signed, signature: 'algorithm=RSA256,signature=x' },
      body,
    );
    expect(unsigned.status).toBe(401);
    expect(JSON.parse(unsigned.body)).toMatchObject({ result: { resultCode: 'INVALID_SIGNATURE' } });
  });

  it('verifies a notify URL with a query string over the path and query Antom signed, in either form', async () => {
    for (const form of ['origin', 'absolute'] as const) {
      const { o, body } = await capturedCase();
      const signedPath = `${TEST_ANTOM_NOTIFY_PATH}?shop=eu-1`;
      const headers = signAntomNotification(body, keys.antom.privateKey, { path: signedPath });
      const target = form === 'origin' ? signedPath : `${t.baseUrl}${signedPath}`;
      const res = await rawPost(t.baseUrl, target, headers, body);
      expect({ form, status: res.status }).toEqual({ form, status: 200 });
      expect(await orderRow(t, o.id)).toMatchObject({ state: 'captured' });
    }
  });

  it('refuses a query string the signature does not cover', async () => {
    const { o, body } = await capturedCase();
    const headers = signAntomNotification(body, keys.antom.privateKey);
    const res = await rawPost(t.baseUrl, `${TEST_ANTOM_NOTIFY_PATH}?shop=eu-1`, headers, body);
    expect(res.status).toBe(401);
    expect(await orderRow(t, o.id)).toMatchObject({ state: 'authorized' });
  });
});
