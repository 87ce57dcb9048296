/**
 * POST /webhooks/antom: what Antom's signature covers besides the body (client-id, request-time,
 * the path it signed) and unsigned malformed JSON, each refused with Antom's failure
 * acknowledgement. What both acquirers share is webhooks-authenticity.spec.ts.
 */
import { ANTOM } from '../support/acquirer-drivers';
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
  postAntom,
  uniqueId,
  webhookEnv,
} from '../support/webhooks';
import { refusedForSignature } from './metrics-scrape';

const keys = generateWebhookKeys();
const antomFailure = ANTOM.failureAck;

describeEachDatabaseAndAdapter('Antom notifications: what the signature covers', (kind, adapter) => {
  let t: TestApp;
  let proxied: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, webhookEnv(keys), undefined, adapter);
    // Behind a proxy that rewrites the path: Antom signed /edge/antom-notify, we serve /webhooks/antom.
    proxied = await startTestApp(
      kind,
      webhookEnv(keys, { ANTOM_NOTIFY_PATH: '/edge/antom-notify' }),
      undefined,
      adapter,
    );
  });
  afterAll(async () => {
    await proxied.close();
    await t.close();
  });

  async function capturedCase() {
    const o = await registerOrder(t, { paymentId: uniqueId('PAY'), captureMode: 'AUTOMATIC' });
    return { o, body: antomCaptureBody({ paymentId: o.paymentId!, captureRequestId: uniqueId('CR') }) };
  }

  /** A refused delivery: 401, Antom's failure ack, nothing stored, nothing applied, counted. */
  async function expectRefused(request: () => Promise<{ status: number; body: unknown }>, orderId: string) {
    const before = { stored: await notificationCount(t), refused: await refusedForSignature(t, 'antom') };
    const res = await request();
    expect(res).toMatchObject({ status: 401, body: antomFailure('INVALID_SIGNATURE') });
    expect(await notificationCount(t)).toBe(before.stored);
    expect(await refusedForSignature(t, 'antom')).toBe(before.refused + 1);
    expect(await orderRow(t, orderId)).toMatchObject({ state: 'authorized' });
    expect(await history(t, orderId)).toEqual([]);
  }

  it('a garbled signature header is refused', async () => {
    const { o, body } = await capturedCase();
    await expectRefused(
      () => postAntom(t, body, keys, {}, { signature: 'algorithm=RSA256,keyVersion=1,signature=%%%' }),
      o.id,
    );
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

  it('the path Antom signed is ANTOM_NOTIFY_PATH, not the path that reached us', async () => {
    const o = await registerOrder(proxied, { paymentId: uniqueId('PAY'), captureMode: 'AUTOMATIC' });
    const body = antomCaptureBody({ paymentId: o.paymentId!, captureRequestId: uniqueId('CR') });
    const direct = await postAntom(proxied, body, keys);
    expect(direct).toMatchObject({ status: 401, body: antomFailure('INVALID_SIGNATURE') });
    const viaProxy = await postAntom(proxied, body, keys, { path: '/edge/antom-notify' });
    expect(viaProxy).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    expect(await orderRow(proxied, o.id)).toMatchObject({ state: 'captured' });
  });
});
