/**
 * POST /webhooks/antom, notifyCapture: what a signed capture result does to an order, asserted
 * through the HTTP answer, the stored notification and the order's state and transitions.
 */
import { startTestApp, type TestApp, describeEachDatabaseAndAdapter } from '../support/http-app';
import {
  ANTOM_SUCCESS_ACK,
  antomCaptureBody,
  applyEvent,
  generateWebhookKeys,
  notifications,
  order,
  pendingAttempt,
  postAntom,
  registerOrder,
  transitions,
  uniqueId,
  webhookEnv,
} from '../support/webhooks';

const keys = generateWebhookKeys();

describeEachDatabaseAndAdapter('Antom notifyCapture', (kind, adapter) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, webhookEnv(keys), undefined, adapter);
  });
  afterAll(() => t.close());

  /** A MANUAL order with a committed attempt of `value`, as our capture call leaves it. */
  async function manualWithAttempt(value = '10000') {
    const o = await registerOrder(t, { paymentId: uniqueId('PAY') });
    const captureRequestId = uniqueId('CR');
    await pendingAttempt(t, o.id, captureRequestId, value);
    return { o, paymentId: o.paymentId!, captureRequestId };
  }

  it('a success captures the order and is stored as applied', async () => {
    const { o, paymentId, captureRequestId } = await manualWithAttempt();
    const res = await postAntom(t, antomCaptureBody({ paymentId, captureRequestId }), keys);
    expect(res).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    expect(res.text).toBe(JSON.stringify(ANTOM_SUCCESS_ACK));
    expect(await order(t, o.id)).toMatchObject({
      state: 'captured',
      capturedAmount: '10000',
      reviewReason: null,
    });
    expect(await transitions(t, o.id)).toEqual([
      'CAPTURE_REQUESTED:authorized->capturePending',
      'CAPTURE_SUCCEEDED:capturePending->captured',
    ]);
    const [row] = await notifications(t, 'antom', paymentId);
    expect(row).toMatchObject({
      outcome: 'applied',
      notifyType: 'CAPTURE_RESULT',
      orderId: o.id,
      captureRequestId,
      dedupeKey: expect.stringContaining(captureRequestId),
    });
    expect(row.processedAt).not.toBeNull();
  });

  it("an AUTOMATIC order's own capture (no attempt of ours) is applied without review", async () => {
    const o = await registerOrder(t, { paymentId: uniqueId('PAY'), captureMode: 'AUTOMATIC' });
    const res = await postAntom(
      t,
      antomCaptureBody({ paymentId: o.paymentId!, captureRequestId: uniqueId('CR') }),
      keys,
    );
    expect(res).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    expect(await order(t, o.id)).toMatchObject({ state: 'captured', reviewReason: null });
    expect((await notifications(t, 'antom', o.paymentId!))[0].outcome).toBe('applied');
  });

  it('a success for a capture request we never sent, on a MANUAL order, is applied and flagged', async () => {
    const o = await registerOrder(t, { paymentId: uniqueId('PAY'), captureMode: 'MANUAL' });
    const body = antomCaptureBody({ paymentId: o.paymentId!, captureRequestId: uniqueId('CR') });
    expect(await postAntom(t, body, keys)).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    const stored = await order(t, o.id);
    expect(stored).toMatchObject({ state: 'captured', capturedAmount: '10000' });
    expect(stored.reviewReason).toContain('a capture request we never sent');
    expect(await transitions(t, o.id)).toEqual(['CAPTURE_SUCCEEDED:authorized->captured']);
    expect((await notifications(t, 'antom', o.paymentId!))[0].outcome).toBe('review');
  });

  it('a failure moves the order to captureFailed and flags PROCESS_FAIL for a human', async () => {
    const { o, paymentId, captureRequestId } = await manualWithAttempt();
    const res = await postAntom(t, antomCaptureBody({ paymentId, captureRequestId, status: 'F' }), keys);
    expect(res).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    const stored = await order(t, o.id);
    expect(stored).toMatchObject({ state: 'captureFailed', capturedAmount: '0' });
    expect(stored.reviewReason).toContain('PROCESS_FAIL');
    expect(await transitions(t, o.id)).toEqual([
      'CAPTURE_REQUESTED:authorized->capturePending',
      'CAPTURE_FAILED:capturePending->captureFailed',
    ]);
    expect((await notifications(t, 'antom', paymentId))[0]).toMatchObject({
      outcome: 'review',
      orderId: o.id,
    });
  });

  it('a retryable failure (no human needed) is stored as applied', async () => {
    const { o, paymentId, captureRequestId } = await manualWithAttempt();
    const body = antomCaptureBody({
      paymentId,
      captureRequestId,
      status: 'F',
      resultCode: 'USER_BALANCE_NOT_ENOUGH',
    });
    expect((await postAntom(t, body, keys)).status).toBe(200);
    expect(await order(t, o.id)).toMatchObject({ state: 'captureFailed' });
    expect((await notifications(t, 'antom', paymentId))[0].outcome).toBe('applied');
  });

  it('the same notification delivered 8 times is applied once and acknowledged 8 times', async () => {
    const { o, paymentId, captureRequestId } = await manualWithAttempt();
    const body = antomCaptureBody({ paymentId, captureRequestId });
    for (let i = 0; i < 8; i++) {
      const res = await postAntom(t, body, keys, { requestTime: `${1742178439000 + i * 120000}` });
      expect(res).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    }
    expect(await transitions(t, o.id)).toHaveLength(2);
    expect(await notifications(t, 'antom', paymentId)).toHaveLength(1);
    expect((await order(t, o.id)).capturedAmount).toBe('10000');
  });

  it('8 concurrent deliveries of one notification: one transition, 8 success acknowledgements', async () => {
    const { o, paymentId, captureRequestId } = await manualWithAttempt();
    const body = antomCaptureBody({ paymentId, captureRequestId });
    const answers = await Promise.all(Array.from({ length: 8 }, () => postAntom(t, body, keys)));
    for (const a of answers) expect(a).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    expect(await transitions(t, o.id)).toEqual([
      'CAPTURE_REQUESTED:authorized->capturePending',
      'CAPTURE_SUCCEEDED:capturePending->captured',
    ]);
    expect(await notifications(t, 'antom', paymentId)).toHaveLength(1);
  });

  it('a result for an unknown payment is kept as an orphan and applied when the order is registered', async () => {
    const paymentId = uniqueId('PAY');
    const captureRequestId = uniqueId('CR');
    const res = await postAntom(t, antomCaptureBody({ paymentId, captureRequestId }), keys);
    expect(res).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    const [orphan] = await notifications(t, 'antom', paymentId);
    expect(orphan).toMatchObject({ outcome: 'orphan', orderId: null, processedAt: null });

    // Redelivered while still an orphan: still one row.
    expect((await postAntom(t, antomCaptureBody({ paymentId, captureRequestId }), keys)).status).toBe(200);
    expect(await notifications(t, 'antom', paymentId)).toHaveLength(1);

    const o = await registerOrder(t, { paymentId, captureMode: 'AUTOMATIC' });
    expect(await order(t, o.id)).toMatchObject({ state: 'captured', capturedAmount: '10000' });
    expect(await transitions(t, o.id)).toEqual(['CAPTURE_SUCCEEDED:authorized->captured']);
    expect((await notifications(t, 'antom', paymentId))[0]).toMatchObject({
      outcome: 'applied',
      orderId: o.id,
    });
  });

  it('a success after auto-cancel still captures, with a review flag', async () => {
    const authorizedAt = new Date(Date.now() - 8 * 86_400_000).toISOString();
    const o = await registerOrder(t, { paymentId: uniqueId('PAY'), captureMode: 'AUTOMATIC', authorizedAt });
    await applyEvent(t, o.id, { type: 'DEADLINE_REACHED', at: new Date().toISOString() });
    expect((await order(t, o.id)).state).toBe('autoCancelled');

    const res = await postAntom(
      t,
      antomCaptureBody({ paymentId: o.paymentId!, captureRequestId: uniqueId('CR') }),
      keys,
    );
    expect(res).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    const stored = await order(t, o.id);
    expect(stored).toMatchObject({ state: 'captured', capturedAmount: '10000' });
    expect(stored.reviewReason).toContain('after the order was autoCancelled');
    expect(await transitions(t, o.id)).toEqual([
      'DEADLINE_REACHED:authorized->autoCancelled',
      'CAPTURE_SUCCEEDED:autoCancelled->captured',
    ]);
    expect((await notifications(t, 'antom', o.paymentId!))[0].outcome).toBe('review');
  });

  it('a failure contradicting a recorded success is stored and flagged, and moves nothing', async () => {
    const { o, paymentId, captureRequestId } = await manualWithAttempt();
    await postAntom(t, antomCaptureBody({ paymentId, captureRequestId }), keys);
    const res = await postAntom(t, antomCaptureBody({ paymentId, captureRequestId, status: 'F' }), keys);
    expect(res).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    const stored = await order(t, o.id);
    expect(stored).toMatchObject({ state: 'captured', capturedAmount: '10000' });
    expect(stored.reviewReason).toContain('already recorded as successful');
    expect(await transitions(t, o.id)).toEqual([
      'CAPTURE_REQUESTED:authorized->capturePending',
      'CAPTURE_SUCCEEDED:capturePending->captured',
      'CAPTURE_FAILED:captured->captured',
    ]);
    expect((await notifications(t, 'antom', paymentId)).map((n) => n.outcome)).toEqual(['applied', 'review']);
  });

  it('an amount different from the attempt is applied as reported and flagged', async () => {
    const { o, paymentId, captureRequestId } = await manualWithAttempt('10000');
    const res = await postAntom(t, antomCaptureBody({ paymentId, captureRequestId, value: '9000' }), keys);
    expect(res).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    const stored = await order(t, o.id);
    expect(stored).toMatchObject({ state: 'captured', capturedAmount: '9000' });
    expect(stored.reviewReason).toContain('captured 9000 where 10000 was requested');
    expect((await notifications(t, 'antom', paymentId))[0].outcome).toBe('review');
  });

  it('with no attempt, an amount different from the order is applied as reported and flagged', async () => {
    const o = await registerOrder(t, { paymentId: uniqueId('PAY'), captureMode: 'AUTOMATIC' });
    const body = antomCaptureBody({
      paymentId: o.paymentId!,
      captureRequestId: uniqueId('CR'),
      value: '7500',
    });
    expect((await postAntom(t, body, keys)).status).toBe(200);
    const stored = await order(t, o.id);
    expect(stored).toMatchObject({ state: 'captured', capturedAmount: '7500' });
    expect(stored.reviewReason).toContain('captured 7500 where 10000 was left to capture');
  });

  it('a different currency is stored and flagged but not applied', async () => {
    const { o, paymentId, captureRequestId } = await manualWithAttempt();
    const res = await postAntom(t, antomCaptureBody({ paymentId, captureRequestId, currency: 'EUR' }), keys);
    expect(res).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    const stored = await order(t, o.id);
    expect(stored).toMatchObject({ state: 'capturePending', capturedAmount: '0' });
    expect(stored.reviewReason).toContain('capture reported in EUR');
    expect(await transitions(t, o.id)).toEqual([
      'CAPTURE_REQUESTED:authorized->capturePending',
      'CAPTURE_SUCCEEDED:capturePending->capturePending',
    ]);
    expect((await notifications(t, 'antom', paymentId))[0]).toMatchObject({
      outcome: 'review',
      orderId: o.id,
    });
  });
});
