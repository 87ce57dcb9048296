/**
 * POST /webhooks/antom, notifyCapture: the capture results only Antom sends (PROCESS_FAIL, a
 * capture of an AUTOMATIC order, one we never asked for). What both acquirers share is
 * webhooks-capture.spec.ts.
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
  ANTOM_SUCCESS_ACK,
  antomCaptureBody,
  generateWebhookKeys,
  notifications,
  pendingAttempt,
  postAntom,
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

  it("an AUTOMATIC order's own capture (no attempt of ours) is applied without review", async () => {
    const o = await registerOrder(t, { paymentId: uniqueId('PAY'), captureMode: 'AUTOMATIC' });
    const res = await postAntom(
      t,
      antomCaptureBody({ paymentId: o.paymentId!, captureRequestId: uniqueId('CR') }),
      keys,
    );
    expect(res).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    expect(await orderRow(t, o.id)).toMatchObject({ state: 'captured', reviewReason: null });
    expect((await notifications(t, 'antom', o.paymentId!))[0]!.outcome).toBe('applied');
  });

  it('a success for a capture request we never sent, on a MANUAL order, is applied and flagged', async () => {
    const o = await registerOrder(t, { paymentId: uniqueId('PAY'), captureMode: 'MANUAL' });
    const body = antomCaptureBody({ paymentId: o.paymentId!, captureRequestId: uniqueId('CR') });
    expect(await postAntom(t, body, keys)).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    const stored = await orderRow(t, o.id);
    expect(stored).toMatchObject({ state: 'captured', capturedAmount: '10000' });
    expect(stored.reviewReason).toContain('a capture request we never sent');
    expect(await history(t, o.id)).toEqual(['CAPTURE_SUCCEEDED:authorized->captured']);
    expect((await notifications(t, 'antom', o.paymentId!))[0]!.outcome).toBe('review');
  });

  it('a failure moves the order to captureFailed and flags PROCESS_FAIL for a human', async () => {
    const { o, paymentId, captureRequestId } = await manualWithAttempt();
    const res = await postAntom(t, antomCaptureBody({ paymentId, captureRequestId, status: 'F' }), keys);
    expect(res).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    const stored = await orderRow(t, o.id);
    expect(stored).toMatchObject({ state: 'captureFailed', capturedAmount: '0' });
    expect(stored.reviewReason).toContain('PROCESS_FAIL');
    expect(await history(t, o.id)).toEqual([
      'CAPTURE_REQUESTED:authorized->capturePending',
      'CAPTURE_FAILED:capturePending->captureFailed',
    ]);
    expect((await notifications(t, 'antom', paymentId))[0]).toMatchObject({
      outcome: 'review',
      orderId: o.id,
    });
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
    expect(await orderRow(t, o.id)).toMatchObject({ state: 'captured', capturedAmount: '10000' });
    expect(await history(t, o.id)).toEqual(['CAPTURE_SUCCEEDED:authorized->captured']);
    expect((await notifications(t, 'antom', paymentId))[0]).toMatchObject({
      outcome: 'applied',
      orderId: o.id,
    });
  });

  it('with no attempt, an amount different from the order is applied as reported and flagged', async () => {
    const o = await registerOrder(t, { paymentId: uniqueId('PAY'), captureMode: 'AUTOMATIC' });
    const body = antomCaptureBody({
      paymentId: o.paymentId!,
      captureRequestId: uniqueId('CR'),
      value: '7500',
    });
    expect((await postAntom(t, body, keys)).status).toBe(200);
    const stored = await orderRow(t, o.id);
    expect(stored).toMatchObject({ state: 'captured', capturedAmount: '7500' });
    expect(stored.reviewReason).toContain('captured 7500 where 10000 was left to capture');
  });
});
