/**
 * No capture is left hanging: a capture with no definite answer is sent again under the same
 * captureRequestId (idempotent at the acquirer) on the inquiry schedule where the acquirer
 * cannot be asked, at once when the call provably never left us, and at the deadline it is
 * reviewed instead of lapsing as if nothing had been captured.
 */
import { IMMEDIATE_RESENDS } from '../../src/capture/execution/capture-executor';
import type { RegisterOrderInput } from '../../src/capture/registration';
import { registration } from '../support/capture-testing';
import { describeEachDatabase } from '../support/databases';
import { createExecutionHarness, type ExecutionHarness } from '../support/execution-harness';
import { DAY, MINUTE, plus } from '../support/time';

describeEachDatabase('captures with no definite answer', (kind) => {
  let h: ExecutionHarness;
  let base: Date;
  beforeAll(async () => {
    h = await createExecutionHarness(kind);
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await h.reset();
    base = new Date();
  });

  const dueNow = (overrides: Partial<RegisterOrderInput> = {}) =>
    registration({ captureAt: plus(base, -MINUTE).toISOString(), ...overrides });
  /** Due now, with its deadline `untilDeadline` after base. */
  const expiring = (untilDeadline: number, overrides: Partial<RegisterOrderInput> = {}) =>
    dueNow({ authorizedAt: plus(base, untilDeadline - 7 * DAY).toISOString(), ...overrides });
  const at = () => new Date().toISOString();

  it('PayerMax, no answer: resent under the same id on the backoff until it answers', async () => {
    const order = await h.order(dueNow({ acquirer: 'payermax' }));
    h.acquirer.script(order.paymentId!, { kind: 'unreached' }, { kind: 'unreached' }, { kind: 'S' });
    await h.scheduler.tick(base);
    const [attempt] = await h.attempts(order.id);
    const id = attempt!.captureRequestId;
    expect(attempt).toMatchObject({ status: 'pending', resultCode: 'NETWORK_ERROR' });
    // Due after the first delay (60 s), then the second (300 s); nothing in between.
    await h.scheduler.tick(plus(base, 30_000));
    expect(h.acquirer.calls(id)).toBe(1);
    await h.scheduler.tick(plus(base, 2 * MINUTE));
    expect(h.acquirer.calls(id)).toBe(2);
    const [again] = await h.attempts(order.id);
    expect(again!.nextInquiryAt).toEqual(plus(base, 2 * MINUTE + 300_000));
    await h.scheduler.tick(plus(base, 6 * MINUTE));
    expect(h.acquirer.calls(id)).toBe(2);
    await h.scheduler.tick(plus(base, 8 * MINUTE));
    expect(h.acquirer.calls(id)).toBe(3);
    expect(await h.reload(order.id)).toMatchObject({ state: 'captured', capturedAmount: '10000' });
    expect(await h.attempts(order.id)).toHaveLength(1);
    expect(h.acquirer.paymentCalls(order.paymentId!)).toBe(3);
  });

  it('PayerMax, captured but the answer was lost: the resend learns it, nothing is captured twice', async () => {
    const order = await h.order(dueNow({ acquirer: 'payermax' }));
    h.acquirer.script(order.paymentId!, { kind: 'lost' });
    await h.scheduler.tick(base);
    expect((await h.reload(order.id)).state).toBe('capturePending');
    await h.scheduler.tick(plus(base, 2 * MINUTE));
    expect(await h.reload(order.id)).toMatchObject({ state: 'captured', reviewReason: null });
    expect(h.acquirer.captured(order.paymentId!)).toHaveLength(1);
  });

  it('connection refused: sent again at once, a bounded number of times', async () => {
    const once = await h.order(dueNow({ acquirer: 'payermax' }));
    h.acquirer.script(once.paymentId!, { kind: 'refused' }, { kind: 'S' });
    await h.scheduler.tick(base);
    expect(await h.reload(once.id)).toMatchObject({ state: 'captured' });
    expect(h.acquirer.paymentCalls(once.paymentId!)).toBe(2);

    const never = await h.order(dueNow());
    h.acquirer.script(never.paymentId!, ...Array.from({ length: 5 }, () => ({ kind: 'refused' }) as const));
    await h.scheduler.tick(base);
    expect(h.acquirer.paymentCalls(never.paymentId!)).toBe(1 + IMMEDIATE_RESENDS);
    const [attempt] = await h.attempts(never.id);
    expect(attempt).toMatchObject({ status: 'pending', resultCode: 'NOT_DELIVERED' });
    expect(attempt!.nextInquiryAt).not.toBeNull();
  });

  describe('at the deadline', () => {
    /** A PayerMax capture made at base that never gets an answer; the deadline 30 s later. */
    async function unresolvedAtDeadline() {
      const order = await h.order(expiring(30_000, { acquirer: 'payermax' }));
      h.acquirer.script(
        order.paymentId!,
        ...Array.from({ length: 4 }, () => ({ kind: 'unreached' }) as const),
      );
      await h.scheduler.tick(base);
      const [attempt] = await h.attempts(order.id);
      const s = await h.scheduler.tick(plus(base, MINUTE));
      expect(s.actions).toMatchObject({ deadlineReview: 1 });
      return { order, id: attempt!.captureRequestId };
    }

    it('opens a review instead of lapsing, once: the next ticks do nothing', async () => {
      const { order, id } = await unresolvedAtDeadline();
      const stored = await h.reload(order.id);
      expect(stored).toMatchObject({
        state: 'capturePending',
        reviewReason: `deadline passed with capture ${id} unresolved; money may have moved`,
        nextCheckAt: null,
      });
      const history = await h.history(order.id);
      expect(history.filter((t) => t.startsWith('DEADLINE_REACHED:'))).toEqual([
        'DEADLINE_REACHED:capturePending->capturePending',
      ]);
      const calls = h.acquirer.calls(id);
      for (const later of [2 * MINUTE, 20 * MINUTE, DAY]) {
        const s = await h.scheduler.tick(plus(base, later));
        expect(s).toMatchObject({ ordersClaimed: 0, inquiriesClaimed: 0 });
      }
      expect(await h.history(order.id)).toEqual(history);
      expect(h.acquirer.calls(id)).toBe(calls);
    });

    it('an operator abandons it: nothing was captured, the order is autoCancelled, the review answered', async () => {
      const { order, id } = await unresolvedAtDeadline();
      const r = await h.capture.apply(
        order.id,
        { type: 'CAPTURE_ABANDONED', captureRequestId: id, note: 'PayerMax support: no capture', at: at() },
        'admin',
      );
      expect(r).toMatchObject({ kind: 'applied', to: 'autoCancelled' });
      expect(await h.reload(order.id)).toMatchObject({ state: 'autoCancelled', reviewReason: null });
      const [attempt] = await h.attempts(order.id);
      expect(attempt).toMatchObject({ status: 'failed', resultCode: 'ABANDONED_BY_OPERATOR' });
    });

    it('an operator resends it: the acquirer says it captured, the order is captured', async () => {
      const { order, id } = await unresolvedAtDeadline();
      h.acquirer.seed(order.paymentId!, {
        captureRequestId: id,
        status: 'S',
        amount: { currency: 'USD', value: '10000' },
        captureId: 'cap-late',
      });
      const r = await h.capture.apply(
        order.id,
        { type: 'CAPTURE_RESEND_REQUESTED', captureRequestId: id, note: 'try once more', at: at() },
        'admin',
      );
      expect(r).toMatchObject({ kind: 'applied', from: 'capturePending', to: 'capturePending' });
      await h.executor.whenIdle();
      expect(await h.reload(order.id)).toMatchObject({ state: 'captured', reviewReason: null });
      expect(h.acquirer.captured(order.paymentId!)).toHaveLength(1);
      expect((await h.history(order.id)).slice(-2)).toEqual([
        'CAPTURE_RESEND_REQUESTED:capturePending->capturePending',
        'CAPTURE_SUCCEEDED:capturePending->captured',
      ]);
    });

    it('Antom, still in process after the wait: reviewed, not autoCancelled; a later inquiry settles it', async () => {
      const order = await h.order(expiring(30_000));
      h.acquirer.script(order.paymentId!, { kind: 'U' });
      await h.scheduler.tick(base);
      const [attempt] = await h.attempts(order.id);
      // Expiry waits up to the longest inquiry delay (900 s) past the deadline while in process.
      expect((await h.scheduler.tick(plus(base, MINUTE))).actions.deadlinePostponed).toBe(1);
      const s = await h.scheduler.tick(plus(base, 20 * MINUTE));
      expect(s.actions.deadlineReview).toBe(1);
      expect(await h.reload(order.id)).toMatchObject({ state: 'capturePending', nextCheckAt: null });
      h.acquirer.settle(attempt!.captureRequestId, { kind: 'S' });
      const reconciled = await h.reconciliation.reconcileOrder(order.id, 'admin');
      expect(reconciled).toMatchObject({ state: 'captured' });
      expect((await h.reload(order.id)).reviewReason).toBeNull();
    });
  });
});
