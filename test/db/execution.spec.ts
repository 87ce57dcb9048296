/**
 * Capture execution against a scripted acquirer: the attempt is committed before the call, the
 * answer (S / F / U / none) is applied through the OrderEventApplier, and reconciliation resolves
 * what the call left open, never by capturing twice.
 */
import { newCaptureRequestId } from '../../src/capture/execution/capture-request.service';
import { OutboxEventEntity } from '../../src/capture/persistence/entities';
import { registration } from '../support/capture-testing';
import { describeEachDatabase } from '../support/databases';
import { createExecutionHarness, type ExecutionHarness } from '../support/execution-harness';
import { plus, MINUTE } from '../support/time';

describeEachDatabase('capture execution', (kind) => {
  let h: ExecutionHarness;
  beforeAll(async () => {
    h = await createExecutionHarness(kind);
  });
  afterAll(() => h.close());
  afterEach(() => {
    h.acquirer.onCall = undefined;
  });

  async function captureNow(orderId: string, options: { amount?: string; isLast?: boolean } = {}) {
    const r = await h.requests.requestCapture(orderId, options, 'admin');
    await h.executor.whenIdle();
    return r;
  }

  it('S: the attempt is committed and marked called before the acquirer answers, then captured', async () => {
    const order = await h.order(registration());
    const seenAtCall: unknown[] = [];
    h.acquirer.onCall = async (call) => {
      const [attempt] = await h.attempts(order.id);
      seenAtCall.push({ id: attempt!.captureRequestId === call.captureRequestId, status: attempt!.status });
      seenAtCall.push(attempt!.calledAt instanceof Date);
    };
    const { captureRequestId, result } = await captureNow(order.id);
    expect(result).toMatchObject({ kind: 'applied', to: 'capturePending' });
    expect(captureRequestId.length).toBeLessThanOrEqual(64);
    expect(seenAtCall).toEqual([{ id: true, status: 'pending' }, true]);

    const stored = await h.reload(order.id);
    expect(stored).toMatchObject({ state: 'captured', capturedAmount: '10000', nextCheckAt: null });
    const [attempt] = await h.attempts(order.id);
    expect(attempt).toMatchObject({ captureRequestId, status: 'succeeded', resultCode: 'SUCCESS' });
    expect(attempt!.captureId).toMatch(/^cap_/);
    expect(attempt!.calledAt).toBeInstanceOf(Date);
    expect(await h.history(order.id)).toEqual([
      'CAPTURE_REQUESTED:authorized->capturePending',
      'CAPTURE_SUCCEEDED:capturePending->captured',
    ]);
    expect(h.acquirer.calls(captureRequestId)).toBe(1);
  });

  it('answers the requester before the acquirer has answered (the call runs after commit)', async () => {
    const order = await h.order(registration());
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    h.acquirer.onCall = () => held;
    const { result } = await h.requests.requestCapture(order.id, {}, 'admin');
    expect(result).toMatchObject({ kind: 'applied', to: 'capturePending' });
    expect((await h.reload(order.id)).state).toBe('capturePending');
    release();
    await h.executor.whenIdle();
    expect((await h.reload(order.id)).state).toBe('captured');
  });

  it('F with a retryable code: captureFailed without review, a retry planned after the backoff', async () => {
    const order = await h.order(registration());
    h.acquirer.script(order.paymentId!, { kind: 'F', code: 'USER_BALANCE_NOT_ENOUGH', message: 'try later' });
    await captureNow(order.id);
    const stored = await h.reload(order.id);
    expect(stored).toMatchObject({ state: 'captureFailed', reviewReason: null });
    expect(stored.nextCheckAt!.getTime()).toBe(stored.updatedAt.getTime() + 600_000);
    const [attempt] = await h.attempts(order.id);
    expect(attempt).toMatchObject({
      status: 'failed',
      resultCode: 'USER_BALANCE_NOT_ENOUGH',
      resultMessage: 'try later',
    });
  });

  it('F that needs a human: flagged for review, no retry planned', async () => {
    const order = await h.order(registration());
    h.acquirer.script(order.paymentId!, { kind: 'F', code: 'PROCESS_FAIL' });
    await captureNow(order.id);
    const stored = await h.reload(order.id);
    expect(stored.state).toBe('captureFailed');
    expect(stored.reviewReason).toContain('PROCESS_FAIL');
    // Only the deadline warning is left to look at: no retry.
    expect(stored.nextCheckAt!.getTime()).toBe(stored.captureDeadline.getTime() - 24 * 60 * MINUTE);
  });

  it.each(['AUTH_EXPIRED', 'AUTH_CANCELLED', 'ORDER_IS_CANCELED'])(
    'F %s: the authorization is gone, the order is autoCancelled',
    async (code) => {
      const order = await h.order(registration());
      h.acquirer.script(order.paymentId!, { kind: 'F', code });
      await captureNow(order.id);
      expect(await h.reload(order.id)).toMatchObject({ state: 'autoCancelled', nextCheckAt: null });
      const events = await h.dataSource
        .getRepository(OutboxEventEntity)
        .find({ where: { orderId: order.id } });
      expect(events.map((e) => e.type).sort()).toEqual(['order.auto_cancelled', 'order.capture_failed']);
    },
  );

  it('F authorization gone after a partial capture: partiallyLapsed, under review, not captured', async () => {
    const order = await h.order(registration({ multiCapture: true }));
    h.acquirer.script(order.paymentId!, { kind: 'S' }, { kind: 'F', code: 'AUTH_EXPIRED' });
    await captureNow(order.id, { amount: '100' });
    await captureNow(order.id, { amount: '9900' });
    expect(await h.reload(order.id)).toMatchObject({
      state: 'partiallyLapsed',
      capturedAmount: '100',
      reviewReason: 'the authorization ended with 100 of 10000 captured; 9900 lapsed',
      nextCheckAt: null,
    });
    const events = await h.dataSource.getRepository(OutboxEventEntity).find({ where: { orderId: order.id } });
    expect(events.map((e) => e.type).sort()).toEqual([
      'order.capture_failed',
      'order.partially_captured',
      'order.partially_lapsed',
      'order.review_required',
    ]);
  });

  it('U: pending and in process with an inquiry scheduled; reconciliation applies the settled result', async () => {
    const order = await h.order(registration());
    h.acquirer.script(order.paymentId!, { kind: 'U' });
    const before = new Date();
    const { captureRequestId } = await captureNow(order.id);
    expect((await h.reload(order.id)).state).toBe('capturePending');
    const [attempt] = await h.attempts(order.id);
    expect(attempt).toMatchObject({ status: 'pending', resultCode: 'PAYMENT_IN_PROCESS', inquiryCount: 0 });
    expect(attempt!.nextInquiryAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() + 60_000);
    expect(attempt!.nextInquiryAt!.getTime()).toBeLessThanOrEqual(Date.now() + 60_000);

    const still = await h.reconciliation.reconcileOrder(order.id, 'test', plus(before, 2 * MINUTE));
    expect(still).toMatchObject({
      outcome: 'inquired',
      inProcess: true,
      pending: 1,
      state: 'capturePending',
    });
    const [inquired] = await h.attempts(order.id);
    expect(inquired!.inquiryCount).toBe(1);
    // The second inquiry waits the second delay (300 s) from the first.
    expect(inquired!.nextInquiryAt!.getTime()).toBe(plus(before, 2 * MINUTE + 300_000).getTime());

    h.acquirer.settle(captureRequestId, { kind: 'S' });
    const done = await h.reconciliation.reconcileOrder(order.id, 'test', plus(before, 8 * MINUTE));
    expect(done).toMatchObject({
      outcome: 'inquired',
      state: 'captured',
      pending: 0,
      captures: [{ captureRequestId, status: 'S', result: 'applied' }],
      sent: [],
    });
    expect(h.acquirer.calls(captureRequestId)).toBe(1);
  });

  it('no answer (timeout) but captured: reconciliation finds it, no second call', async () => {
    const order = await h.order(registration());
    h.acquirer.script(order.paymentId!, { kind: 'lost' });
    const { captureRequestId } = await captureNow(order.id);
    expect((await h.reload(order.id)).state).toBe('capturePending');
    const s = await h.reconciliation.reconcileOrder(order.id, 'test');
    expect(s).toMatchObject({ state: 'captured', sent: [] });
    expect(h.acquirer.calls(captureRequestId)).toBe(1);
    expect(h.acquirer.captured(order.paymentId!)).toHaveLength(1);
  });

  it('the call never reached the acquirer: reconciliation resends the same captureRequestId', async () => {
    const order = await h.order(registration());
    h.acquirer.script(order.paymentId!, { kind: 'unreached' });
    const { captureRequestId } = await captureNow(order.id);
    // Not while the call may still be travelling (4 x ACQUIRER_TIMEOUT_MS)...
    const early = await h.reconciliation.reconcileOrder(order.id, 'test', plus(new Date(), 10_000));
    expect(early).toMatchObject({ state: 'capturePending', sent: [] });
    // ...but once it must have ended.
    const s = await h.reconciliation.reconcileOrder(order.id, 'test', plus(new Date(), 2 * MINUTE));
    expect(s).toMatchObject({ state: 'captured', sent: [{ captureRequestId, mode: 'resend', status: 'S' }] });
    expect(h.acquirer.calls(captureRequestId)).toBe(2);
    expect(h.acquirer.captured(order.paymentId!)).toHaveLength(1);
    expect(await h.attempts(order.id)).toHaveLength(1);
  });

  describe('crash between commit and call', () => {
    /** Commits a capture attempt the way requestCapture does, but the after-commit effects never run. */
    async function commitWithoutCalling(orderId: string) {
      const captureRequestId = newCaptureRequestId();
      const amount = { currency: 'USD', value: '10000' };
      await h.uow.run(
        (em) =>
          h.capture.applyWithin(
            em,
            orderId,
            { type: 'CAPTURE_REQUESTED', captureRequestId, amount, at: new Date().toISOString() },
            'admin',
          ),
        { skipAfterCommit: true },
      );
      return { captureRequestId, amount };
    }

    it('the call had reached the acquirer: reconciliation resolves it with no capture call', async () => {
      const order = await h.order(registration());
      const { captureRequestId, amount } = await commitWithoutCalling(order.id);
      h.acquirer.seed(order.paymentId!, { captureRequestId, status: 'S', amount, captureId: 'cap-crash' });
      const s = await h.reconciliation.reconcileOrder(order.id, 'test');
      expect(s).toMatchObject({
        state: 'captured',
        captures: [{ captureRequestId, status: 'S', result: 'applied' }],
        sent: [],
      });
      expect(h.acquirer.calls(captureRequestId)).toBe(0);
      expect((await h.reload(order.id)).reviewReason).toBeNull();
    });

    it('the call was never made: reconciliation makes it, once', async () => {
      const order = await h.order(registration());
      const { captureRequestId } = await commitWithoutCalling(order.id);
      expect((await h.attempts(order.id))[0]!.calledAt).toBeNull();
      const [first, second] = await Promise.all([
        h.reconciliation.reconcileOrder(order.id, 'test'),
        h.reconciliation.reconcileOrder(order.id, 'test'),
      ]);
      expect([...first.sent, ...second.sent]).toEqual([{ captureRequestId, mode: 'first', status: 'S' }]);
      expect(h.acquirer.calls(captureRequestId)).toBe(1);
      expect((await h.reload(order.id)).state).toBe('captured');
    });
  });

  it('multi-capture: partial captures up to the authorized amount, then no more', async () => {
    const order = await h.order(registration({ multiCapture: true }));
    await captureNow(order.id, { amount: '3000' });
    expect(await h.reload(order.id)).toMatchObject({ state: 'partiallyCaptured', capturedAmount: '3000' });
    const over = await captureNow(order.id, { amount: '7001' });
    expect(over.result).toMatchObject({ kind: 'rejected', reason: expect.stringContaining('exceeds') });
    await captureNow(order.id, { amount: '7000' });
    expect(await h.reload(order.id)).toMatchObject({ state: 'captured', capturedAmount: '10000' });
    const more = await captureNow(order.id, { amount: '1' });
    expect(more.result.kind).toBe('rejected');
    const moved = h.acquirer.captured(order.paymentId!).map((c) => c.amount!.value);
    expect(moved).toEqual(['3000', '7000']);
    expect(h.acquirer.paymentCalls(order.paymentId!)).toBe(2);
  });

  it('multi-capture: a partial flagged as the last closes the order', async () => {
    const order = await h.order(registration({ multiCapture: true }));
    await captureNow(order.id, { amount: '2500', isLast: true });
    expect(await h.reload(order.id)).toMatchObject({ state: 'captured', capturedAmount: '2500' });
  });

  it('full-capture-only: a partial is refused before any call, the full amount goes through', async () => {
    const order = await h.order(registration({ fullCaptureOnly: true, multiCapture: true }));
    const partial = await captureNow(order.id, { amount: '5000' });
    expect(partial.result).toMatchObject({ kind: 'rejected', reason: expect.stringContaining('full') });
    expect(h.acquirer.paymentCalls(order.paymentId!)).toBe(0);
    await captureNow(order.id);
    expect(await h.reload(order.id)).toMatchObject({ state: 'captured', capturedAmount: '10000' });
  });

  it('PayerMax: one capture only, final even when partial', async () => {
    const order = await h.order(registration({ acquirer: 'payermax' }));
    await captureNow(order.id, { amount: '4000' });
    expect(await h.reload(order.id)).toMatchObject({ state: 'captured', capturedAmount: '4000' });
    expect((await captureNow(order.id, { amount: '6000' })).result.kind).toBe('rejected');
    expect(h.acquirer.paymentCalls(order.paymentId!)).toBe(1);
  });

  it('PayerMax U: nothing to inquire; the same captureRequestId is sent again once the call has ended', async () => {
    const order = await h.order(registration({ acquirer: 'payermax' }));
    h.acquirer.script(order.paymentId!, { kind: 'U' });
    const before = new Date();
    const { captureRequestId } = await captureNow(order.id);
    const [attempt] = await h.attempts(order.id);
    expect(attempt!.status).toBe('pending');
    expect(attempt!.nextInquiryAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() + 60_000);
    // Not while the first call may still be travelling...
    const early = await h.reconciliation.reconcileOrder(order.id, 'test', plus(new Date(), 10_000));
    expect(early).toMatchObject({ outcome: 'unsupported', state: 'capturePending', sent: [], pending: 1 });
    expect(h.acquirer.paymentCalls(order.paymentId!)).toBe(1);
    // ...then again under the same id: the acquirer answers what became of it.
    h.acquirer.settle(captureRequestId, { kind: 'S' });
    const s = await h.reconciliation.reconcileOrder(order.id, 'test', plus(new Date(), 2 * MINUTE));
    expect(s).toMatchObject({ state: 'captured', sent: [{ captureRequestId, mode: 'resend', status: 'S' }] });
    expect(h.acquirer.calls(captureRequestId)).toBe(2);
    expect(h.acquirer.captured(order.paymentId!)).toHaveLength(1);
  });

  it('a failed inquiry changes nothing but counts, and the next one is scheduled', async () => {
    const order = await h.order(registration());
    h.acquirer.script(order.paymentId!, { kind: 'U' });
    await captureNow(order.id);
    h.acquirer.failInquiries(order.paymentId!);
    const now = plus(new Date(), 2 * MINUTE);
    const s = await h.reconciliation.reconcileOrder(order.id, 'test', now);
    expect(s).toMatchObject({ outcome: 'inquiryFailed', state: 'capturePending', sent: [] });
    expect(s.error).toContain('connection refused');
    const [attempt] = await h.attempts(order.id);
    expect(attempt).toMatchObject({ inquiryCount: 1, nextInquiryAt: plus(now, 300_000) });
  });

  it("AUTOMATIC: reconciliation applies the acquirer's own capture, with no review", async () => {
    const order = await h.order(registration({ captureMode: 'AUTOMATIC' }));
    const amount = { currency: 'USD', value: '10000' };
    h.acquirer.seed(order.paymentId!, { captureRequestId: 'acq-own-1', status: 'S', amount });
    const s = await h.reconciliation.reconcileOrder(order.id, 'test');
    expect(s).toMatchObject({
      state: 'captured',
      captures: [{ captureRequestId: 'acq-own-1', result: 'applied' }],
    });
    expect((await h.reload(order.id)).reviewReason).toBeNull();
    expect(h.acquirer.paymentCalls(order.paymentId!)).toBe(0);
  });

  it('cancelling voids the authorization at the acquirer once', async () => {
    const order = await h.order(registration());
    await h.capture.apply(order.id, { type: 'CANCEL_REQUESTED', at: new Date().toISOString() }, 'admin');
    await h.executor.whenIdle();
    expect((await h.reload(order.id)).state).toBe('cancelled');
    expect(h.acquirer.cancels(order.paymentId!)).toBe(1);
  });

  it('an unknown order reconciles to notFound', async () => {
    const s = await h.reconciliation.reconcileOrder('00000000-0000-0000-0000-000000000000', 'test');
    expect(s.outcome).toBe('notFound');
  });
});
