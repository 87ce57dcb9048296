/**
 * The sample bodies of the seed documents, byte for byte, signed the way Antom and PayerMax sign
 * them, are accepted by the real service (seeds 000, 001 and 004).
 */
import { SEED_BODIES } from '../fixtures/seed-bodies';
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
  generateWebhookKeys,
  notifications,
  PAYERMAX_SUCCESS_ACK,
  pendingAttempt,
  postAntom,
  postPayermax,
  webhookEnv,
} from '../support/webhooks';

const keys = generateWebhookKeys();

describeEachDatabaseAndAdapter('the seed samples, signed', (kind, adapter) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, webhookEnv(keys), undefined, adapter);
  });
  afterAll(() => t.close());

  it('the seed samples CAPTURE_FAILED then CAPTURE_SUCCESSFUL are accepted as signed: a late success wins', async () => {
    const sample = JSON.parse(SEED_BODIES.antomCaptureFailed) as {
      paymentId: string;
      captureRequestId: string;
    };
    const o = await registerOrder(t, {
      paymentId: sample.paymentId,
      amount: { currency: 'BRL', value: '50000' },
    });
    await pendingAttempt(t, o.id, sample.captureRequestId, '50000', 'BRL');

    expect(await postAntom(t, SEED_BODIES.antomCaptureFailed, keys)).toMatchObject({
      status: 200,
      body: ANTOM_SUCCESS_ACK,
    });
    expect((await orderRow(t, o.id)).state).toBe('captureFailed');
    expect(await postAntom(t, SEED_BODIES.antomCaptureSuccessful, keys)).toMatchObject({
      status: 200,
      body: ANTOM_SUCCESS_ACK,
    });

    const stored = await orderRow(t, o.id);
    expect(stored).toMatchObject({ state: 'captured', capturedAmount: '50000' });
    expect(stored.reviewReason).toContain('success arrived after the order was captureFailed');
    expect(await history(t, o.id)).toEqual([
      'CAPTURE_REQUESTED:authorized->capturePending',
      'CAPTURE_FAILED:capturePending->captureFailed',
      'CAPTURE_SUCCEEDED:captureFailed->captured',
    ]);
    const rows = await notifications(t, 'antom', sample.paymentId);
    expect(rows.map((r) => [r.outcome, r.rawBody])).toEqual([
      ['review', SEED_BODIES.antomCaptureFailed],
      ['review', SEED_BODIES.antomCaptureSuccessful],
    ]);
  });

  it('the APO seed sample (acquirerInfo, JPY) is accepted as signed', async () => {
    const sample = JSON.parse(SEED_BODIES.antomApoCaptureJpy) as {
      paymentId: string;
      captureRequestId: string;
    };
    const o = await registerOrder(t, {
      paymentId: sample.paymentId,
      amount: { currency: 'JPY', value: '120' },
    });
    await pendingAttempt(t, o.id, sample.captureRequestId, '120', 'JPY');
    expect(await postAntom(t, SEED_BODIES.antomApoCaptureJpy, keys)).toMatchObject({
      status: 200,
      body: ANTOM_SUCCESS_ACK,
    });
    expect(await orderRow(t, o.id)).toMatchObject({
      state: 'captured',
      capturedAmount: '120',
      reviewReason: null,
    });
    expect((await notifications(t, 'antom', sample.paymentId))[0]).toMatchObject({
      outcome: 'applied',
      rawBody: SEED_BODIES.antomApoCaptureJpy,
    });
  });

  it('the seed sample is accepted as signed (no code, msg, amount or currency; isFinal a boolean)', async () => {
    const sample = JSON.parse(SEED_BODIES.payermaxCaptureSuccess) as {
      data: { outTradeNo: string; requestId: string };
    };
    const o = await registerOrder(t, { acquirer: 'payermax', paymentId: sample.data.outTradeNo });
    await pendingAttempt(t, o.id, sample.data.requestId, '10000');
    const res = await postPayermax(t, SEED_BODIES.payermaxCaptureSuccess, keys);
    expect(res).toMatchObject({ status: 200, body: PAYERMAX_SUCCESS_ACK });
    expect(await orderRow(t, o.id)).toMatchObject({
      state: 'captured',
      capturedAmount: '10000',
      reviewReason: null,
    });
    expect((await notifications(t, 'payermax', sample.data.outTradeNo))[0]).toMatchObject({
      outcome: 'applied',
      rawBody: SEED_BODIES.payermaxCaptureSuccess,
    });
  });
});
