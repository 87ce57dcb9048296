/**
 * POST /webhooks/payermax/capture: what only PayerMax sends (PENDING, results without amount or
 * currency). What both acquirers share is webhooks-capture.spec.ts. Amounts arrive in major units
 * (PAYERMAX_AMOUNT_UNIT defaults to major): USD "100.00" = 10000.
 */
import {
  startTestApp,
  type TestApp,
  describeEachDatabaseAndAdapter,
  orderRow,
  registerOrder,
  history,
} from '../support/http-app';
import {
  generateWebhookKeys,
  notifications,
  PAYERMAX_SUCCESS_ACK,
  payermaxCaptureBody,
  pendingAttempt,
  postPayermax,
  uniqueId,
  webhookEnv,
} from '../support/webhooks';

const keys = generateWebhookKeys();
const REQUESTED = 'CAPTURE_REQUESTED:authorized->capturePending';

describeEachDatabaseAndAdapter('PayerMax capture notifications', (kind, adapter) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, webhookEnv(keys), undefined, adapter);
  });
  afterAll(() => t.close());

  async function withAttempt(value = '10000') {
    const o = await registerOrder(t, { acquirer: 'payermax', paymentId: uniqueId('OT').slice(0, 32) });
    const requestId = uniqueId('RQ');
    await pendingAttempt(t, o.id, requestId, value);
    return { o, outTradeNo: o.paymentId!, requestId };
  }

  it('SUCCESS without amount and currency (as in the seed) takes the attempt amount', async () => {
    const { o, outTradeNo, requestId } = await withAttempt('10000');
    expect((await postPayermax(t, payermaxCaptureBody({ outTradeNo, requestId }), keys)).status).toBe(200);
    expect(await orderRow(t, o.id)).toMatchObject({
      state: 'captured',
      capturedAmount: '10000',
      reviewReason: null,
    });
  });

  it('PENDING is recorded on the attempt, then SUCCESS captures', async () => {
    const { o, outTradeNo, requestId } = await withAttempt();
    expect(
      (await postPayermax(t, payermaxCaptureBody({ outTradeNo, requestId, status: 'PENDING' }), keys)).status,
    ).toBe(200);
    expect((await orderRow(t, o.id)).state).toBe('capturePending');
    expect(
      (
        await postPayermax(
          t,
          payermaxCaptureBody({ outTradeNo, requestId, amount: '100.00', currency: 'USD' }),
          keys,
        )
      ).status,
    ).toBe(200);
    expect((await orderRow(t, o.id)).state).toBe('captured');
    expect(await history(t, o.id)).toEqual([
      REQUESTED,
      'CAPTURE_PENDING:capturePending->capturePending',
      'CAPTURE_SUCCEEDED:capturePending->captured',
    ]);
    expect((await notifications(t, 'payermax', outTradeNo)).map((n) => n.outcome)).toEqual([
      'applied',
      'applied',
    ]);
  });

  it('PENDING for a capture we never sent on a MANUAL order is kept for review, not dropped', async () => {
    const o = await registerOrder(t, { acquirer: 'payermax', paymentId: uniqueId('OT').slice(0, 32) });
    const body = payermaxCaptureBody({
      outTradeNo: o.paymentId!,
      requestId: uniqueId('RQ'),
      status: 'PENDING',
    });
    expect(await postPayermax(t, body, keys)).toMatchObject({ status: 200, body: PAYERMAX_SUCCESS_ACK });
    const stored = await orderRow(t, o.id);
    expect(stored.state).toBe('authorized');
    expect(stored.reviewReason).toContain('CAPTURE_PENDING');
    expect((await notifications(t, 'payermax', o.paymentId!))[0]!.outcome).toBe('review');
  });

  it('a notification for an unknown outTradeNo is an orphan until the order is registered', async () => {
    const outTradeNo = uniqueId('OT').slice(0, 32);
    const requestId = uniqueId('RQ');
    expect(
      (await postPayermax(t, payermaxCaptureBody({ outTradeNo, requestId, status: 'PENDING' }), keys)).status,
    ).toBe(200);
    expect(
      (
        await postPayermax(
          t,
          payermaxCaptureBody({ outTradeNo, requestId, amount: '100.00', currency: 'USD' }),
          keys,
        )
      ).status,
    ).toBe(200);
    expect((await notifications(t, 'payermax', outTradeNo)).map((n) => n.outcome)).toEqual([
      'orphan',
      'orphan',
    ]);

    const o = await registerOrder(t, {
      acquirer: 'payermax',
      paymentId: outTradeNo,
      captureMode: 'AUTOMATIC',
    });
    expect(await orderRow(t, o.id)).toMatchObject({
      state: 'captured',
      capturedAmount: '10000',
      reviewReason: null,
    });
    expect(await history(t, o.id)).toEqual([
      'CAPTURE_PENDING:authorized->capturePending',
      'CAPTURE_SUCCEEDED:capturePending->captured',
    ]);
    const rows = await notifications(t, 'payermax', outTradeNo);
    expect(rows.map((n) => [n.outcome, n.orderId])).toEqual([
      ['applied', o.id],
      ['applied', o.id],
    ]);
  });

  // With an amount, a different currency is in webhooks-capture.spec.ts.
  it('a different currency (without an amount) is stored and flagged but not applied', async () => {
    const { o, outTradeNo, requestId } = await withAttempt();
    const res = await postPayermax(t, payermaxCaptureBody({ outTradeNo, requestId, currency: 'EUR' }), keys);
    expect(res).toMatchObject({ status: 200, body: PAYERMAX_SUCCESS_ACK });
    const stored = await orderRow(t, o.id);
    expect(stored).toMatchObject({ state: 'capturePending', capturedAmount: '0' });
    expect(stored.reviewReason).toContain('EUR');
    expect(await history(t, o.id)).toEqual([REQUESTED, 'REVIEW_FLAGGED:capturePending->capturePending']);
    expect((await notifications(t, 'payermax', outTradeNo))[0]).toMatchObject({
      outcome: 'review',
      orderId: o.id,
    });
  });
});
