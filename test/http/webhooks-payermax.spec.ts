/**
 * POST /webhooks/payermax/capture: what a signed capture notification does to an order, asserted
 * through the HTTP answer, the stored notification and the order's state and transitions.
 * Amounts arrive in major units (PAYERMAX_AMOUNT_UNIT defaults to major): USD "100.00" = 10000.
 */
import { startTestApp, type TestApp, describeEachDatabaseAndAdapter } from '../support/http-app';
import {
  applyEvent,
  generateWebhookKeys,
  notifications,
  order,
  PAYERMAX_SUCCESS_ACK,
  payermaxCaptureBody,
  pendingAttempt,
  postPayermax,
  registerOrder,
  transitions,
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

  it('SUCCESS captures the order and is stored as applied', async () => {
    const { o, outTradeNo, requestId } = await withAttempt();
    const res = await postPayermax(
      t,
      payermaxCaptureBody({ outTradeNo, requestId, amount: '100.00', currency: 'USD' }),
      keys,
    );
    expect(res).toMatchObject({ status: 200, body: PAYERMAX_SUCCESS_ACK });
    expect(res.text).toBe('{"code":"SUCCESS","msg":"Success"}');
    expect(await order(t, o.id)).toMatchObject({
      state: 'captured',
      capturedAmount: '10000',
      reviewReason: null,
    });
    expect(await transitions(t, o.id)).toEqual([REQUESTED, 'CAPTURE_SUCCEEDED:capturePending->captured']);
    expect((await notifications(t, 'payermax', outTradeNo))[0]).toMatchObject({
      outcome: 'applied',
      notifyType: 'CAPTURE',
      orderId: o.id,
      captureRequestId: requestId,
    });
  });

  it('SUCCESS without amount and currency (as in the seed) takes the attempt amount', async () => {
    const { o, outTradeNo, requestId } = await withAttempt('10000');
    expect((await postPayermax(t, payermaxCaptureBody({ outTradeNo, requestId }), keys)).status).toBe(200);
    expect(await order(t, o.id)).toMatchObject({
      state: 'captured',
      capturedAmount: '10000',
      reviewReason: null,
    });
  });

  it('FAILED moves the order to captureFailed', async () => {
    const { o, outTradeNo, requestId } = await withAttempt();
    const body = payermaxCaptureBody({
      outTradeNo,
      requestId,
      status: 'FAILED',
      errorCode: 'USER_BALANCE_NOT_ENOUGH',
    });
    expect(await postPayermax(t, body, keys)).toMatchObject({ status: 200, body: PAYERMAX_SUCCESS_ACK });
    expect(await order(t, o.id)).toMatchObject({ state: 'captureFailed', capturedAmount: '0' });
    expect(await transitions(t, o.id)).toEqual([REQUESTED, 'CAPTURE_FAILED:capturePending->captureFailed']);
    expect((await notifications(t, 'payermax', outTradeNo))[0].outcome).toBe('applied');
  });

  it('PENDING is recorded on the attempt, then SUCCESS captures', async () => {
    const { o, outTradeNo, requestId } = await withAttempt();
    expect(
      (await postPayermax(t, payermaxCaptureBody({ outTradeNo, requestId, status: 'PENDING' }), keys)).status,
    ).toBe(200);
    expect((await order(t, o.id)).state).toBe('capturePending');
    expect(
      (
        await postPayermax(
          t,
          payermaxCaptureBody({ outTradeNo, requestId, amount: '100.00', currency: 'USD' }),
          keys,
        )
      ).status,
    ).toBe(200);
    expect((await order(t, o.id)).state).toBe('captured');
    expect(await transitions(t, o.id)).toEqual([
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
    const stored = await order(t, o.id);
    expect(stored.state).toBe('authorized');
    expect(stored.reviewReason).toContain('CAPTURE_PENDING');
    expect((await notifications(t, 'payermax', o.paymentId!))[0].outcome).toBe('review');
  });

  it('the same notification delivered 8 times is applied once and acknowledged 8 times', async () => {
    const { o, outTradeNo, requestId } = await withAttempt();
    const body = payermaxCaptureBody({ outTradeNo, requestId, amount: '100.00', currency: 'USD' });
    for (let i = 0; i < 8; i++) {
      expect(await postPayermax(t, body, keys)).toMatchObject({ status: 200, body: PAYERMAX_SUCCESS_ACK });
    }
    expect(await transitions(t, o.id)).toHaveLength(2);
    expect(await notifications(t, 'payermax', outTradeNo)).toHaveLength(1);
  });

  it('8 concurrent deliveries: one transition, 8 success acknowledgements', async () => {
    const { o, outTradeNo, requestId } = await withAttempt();
    const body = payermaxCaptureBody({ outTradeNo, requestId });
    const answers = await Promise.all(Array.from({ length: 8 }, () => postPayermax(t, body, keys)));
    for (const a of answers) expect(a).toMatchObject({ status: 200, body: PAYERMAX_SUCCESS_ACK });
    expect(await transitions(t, o.id)).toEqual([REQUESTED, 'CAPTURE_SUCCEEDED:capturePending->captured']);
    expect(await notifications(t, 'payermax', outTradeNo)).toHaveLength(1);
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
    expect(await order(t, o.id)).toMatchObject({
      state: 'captured',
      capturedAmount: '10000',
      reviewReason: null,
    });
    expect(await transitions(t, o.id)).toEqual([
      'CAPTURE_PENDING:authorized->capturePending',
      'CAPTURE_SUCCEEDED:capturePending->captured',
    ]);
    const rows = await notifications(t, 'payermax', outTradeNo);
    expect(rows.map((n) => [n.outcome, n.orderId])).toEqual([
      ['applied', o.id],
      ['applied', o.id],
    ]);
  });

  it('a SUCCESS after the deadline lapsed (autoCancelled) still captures, with a review flag', async () => {
    const authorizedAt = new Date(Date.now() - 8 * 86_400_000).toISOString();
    const o = await registerOrder(t, {
      acquirer: 'payermax',
      paymentId: uniqueId('OT').slice(0, 32),
      authorizedAt,
    });
    await applyEvent(t, o.id, { type: 'DEADLINE_REACHED', at: new Date().toISOString() });
    const body = payermaxCaptureBody({
      outTradeNo: o.paymentId!,
      requestId: uniqueId('RQ'),
      amount: '100.00',
      currency: 'USD',
    });
    expect(await postPayermax(t, body, keys)).toMatchObject({ status: 200, body: PAYERMAX_SUCCESS_ACK });
    const stored = await order(t, o.id);
    expect(stored).toMatchObject({ state: 'captured', capturedAmount: '10000' });
    expect(stored.reviewReason).toContain('after the order was autoCancelled');
    expect(await transitions(t, o.id)).toEqual([
      'DEADLINE_REACHED:authorized->autoCancelled',
      'CAPTURE_SUCCEEDED:autoCancelled->captured',
    ]);
    expect((await notifications(t, 'payermax', o.paymentId!))[0].outcome).toBe('review');
  });

  it('FAILED contradicting a recorded SUCCESS is stored and flagged, and moves nothing', async () => {
    const { o, outTradeNo, requestId } = await withAttempt();
    await postPayermax(t, payermaxCaptureBody({ outTradeNo, requestId }), keys);
    const res = await postPayermax(t, payermaxCaptureBody({ outTradeNo, requestId, status: 'FAILED' }), keys);
    expect(res).toMatchObject({ status: 200, body: PAYERMAX_SUCCESS_ACK });
    const stored = await order(t, o.id);
    expect(stored).toMatchObject({ state: 'captured', capturedAmount: '10000' });
    expect(stored.reviewReason).toContain('already recorded as successful');
    expect((await notifications(t, 'payermax', outTradeNo)).map((n) => n.outcome)).toEqual([
      'applied',
      'review',
    ]);
  });

  it('an amount different from the attempt is applied as reported and flagged', async () => {
    const { o, outTradeNo, requestId } = await withAttempt('10000');
    const body = payermaxCaptureBody({ outTradeNo, requestId, amount: '90.00', currency: 'USD' });
    expect(await postPayermax(t, body, keys)).toMatchObject({ status: 200, body: PAYERMAX_SUCCESS_ACK });
    const stored = await order(t, o.id);
    expect(stored).toMatchObject({ state: 'captured', capturedAmount: '9000' });
    expect(stored.reviewReason).toContain('captured 9000 where 10000 was requested');
    expect((await notifications(t, 'payermax', outTradeNo))[0].outcome).toBe('review');
  });

  it.each([
    ['with an amount', { amount: '100.00', currency: 'EUR' }, 'CAPTURE_SUCCEEDED'],
    ['without an amount', { currency: 'EUR' }, 'REVIEW_FLAGGED'],
  ])('a different currency (%s) is stored and flagged but not applied', async (_name, money, eventType) => {
    const { o, outTradeNo, requestId } = await withAttempt();
    const res = await postPayermax(t, payermaxCaptureBody({ outTradeNo, requestId, ...money }), keys);
    expect(res).toMatchObject({ status: 200, body: PAYERMAX_SUCCESS_ACK });
    const stored = await order(t, o.id);
    expect(stored).toMatchObject({ state: 'capturePending', capturedAmount: '0' });
    expect(stored.reviewReason).toContain('EUR');
    expect(await transitions(t, o.id)).toEqual([REQUESTED, `${eventType}:capturePending->capturePending`]);
    expect((await notifications(t, 'payermax', outTradeNo))[0]).toMatchObject({
      outcome: 'review',
      orderId: o.id,
    });
  });
});
