/**
 * The scheduler's capture jobs, driven by tick(now) against a scripted acquirer: scheduled
 * captures, retries after F, leases and batches.
 */
import { OrderEntity, OrderTransitionEntity } from '../../src/capture/persistence/entities';
import type { RegisterOrderInput } from '../../src/capture/registration';
import { registration } from '../support/capture-testing';
import { describeEachDatabase } from '../support/databases';
import { createExecutionHarness, type ExecutionHarness } from '../support/execution-harness';
import { DAY, HOUR, MINUTE, plus } from '../support/time';

describeEachDatabase('capture scheduler: captures and retries', (kind) => {
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

  /** A MANUAL order whose deadline falls `untilDeadline` after base. */
  const expiring = (untilDeadline: number, overrides: Partial<RegisterOrderInput> = {}) =>
    registration({ authorizedAt: plus(base, untilDeadline - 7 * DAY).toISOString(), ...overrides });
  const dueNow = (overrides: Partial<RegisterOrderInput> = {}) =>
    registration({ captureAt: plus(base, -MINUTE).toISOString(), ...overrides });

  it('captures a MANUAL order at its captureAt, not before, and once', async () => {
    const order = await h.order(registration({ captureAt: plus(base, 10 * MINUTE).toISOString() }));
    await h.scheduler.tick(plus(base, 5 * MINUTE));
    expect(h.acquirer.paymentCalls(order.paymentId!)).toBe(0);
    const s = await h.scheduler.tick(plus(base, 10 * MINUTE));
    expect(s.actions.capture).toBeGreaterThanOrEqual(1);
    expect(await h.reload(order.id)).toMatchObject({ state: 'captured', leaseOwner: null });
    await h.scheduler.tick(plus(base, 20 * MINUTE));
    expect(h.acquirer.paymentCalls(order.paymentId!)).toBe(1);
    const [t] = await h.dataSource
      .getRepository(OrderTransitionEntity)
      .find({ where: { orderId: order.id } });
    expect(t!.source).toBe('scheduler');
  });

  it('stamps what a tick writes with the tick time, not the wall clock', async () => {
    const at = plus(base, 3 * HOUR);
    const order = await h.order(registration({ captureAt: plus(base, 2 * HOUR).toISOString() }));
    h.acquirer.script(order.paymentId!, { kind: 'F', code: 'USER_BALANCE_NOT_ENOUGH' });
    await h.scheduler.tick(at);
    const stored = await h.reload(order.id);
    expect(stored.state).toBe('captureFailed');
    // The retry delay counts from updatedAt: it must be the tick's time, hours from the wall clock.
    expect(stored.updatedAt.getTime()).toBe(at.getTime());
    expect(stored.nextCheckAt!.getTime()).toBeGreaterThan(at.getTime());
    const transitions = await h.dataSource
      .getRepository(OrderTransitionEntity)
      .find({ where: { orderId: order.id } });
    expect(transitions.length).toBeGreaterThanOrEqual(2);
    for (const t of transitions) expect(t.at.getTime()).toBe(at.getTime());
  });

  it('F retryable: a new attempt with a NEW captureRequestId after the backoff, then S', async () => {
    const order = await h.order(dueNow());
    h.acquirer.script(order.paymentId!, { kind: 'F', code: 'USER_BALANCE_NOT_ENOUGH' }, { kind: 'S' });
    await h.scheduler.tick(base);
    expect((await h.reload(order.id)).state).toBe('captureFailed');
    await h.scheduler.tick(plus(base, 5 * MINUTE));
    expect(h.acquirer.paymentCalls(order.paymentId!)).toBe(1);
    const s = await h.scheduler.tick(plus(base, 11 * MINUTE));
    expect(s.actions.retry).toBeGreaterThanOrEqual(1);
    const attempts = await h.attempts(order.id);
    expect(attempts.map((a) => a.status)).toEqual(['failed', 'succeeded']);
    expect(attempts[0]!.captureRequestId).not.toBe(attempts[1]!.captureRequestId);
    for (const a of attempts) expect(h.acquirer.calls(a.captureRequestId)).toBe(1);
    expect(await h.history(order.id)).toEqual([
      'CAPTURE_REQUESTED:authorized->capturePending',
      'CAPTURE_FAILED:capturePending->captureFailed',
      'CAPTURE_REQUESTED:captureFailed->capturePending',
      'CAPTURE_SUCCEEDED:capturePending->captured',
    ]);
  });

  it('retries at most CAPTURE_RETRY_MAX times', async () => {
    const order = await h.order(dueNow());
    const f = { kind: 'F', code: 'USER_BALANCE_NOT_ENOUGH' } as const;
    h.acquirer.script(order.paymentId!, f, f, f, f, f);
    for (let i = 0; i < 5; i++) await h.scheduler.tick(plus(base, i * 11 * MINUTE));
    const attempts = await h.attempts(order.id);
    expect(attempts).toHaveLength(3); // the first and CAPTURE_RETRY_MAX (2) retries
    expect(new Set(attempts.map((a) => a.captureRequestId)).size).toBe(3);
    const stored = await h.reload(order.id);
    expect(stored.state).toBe('captureFailed');
    expect(stored.nextCheckAt!.getTime()).toBe(stored.captureDeadline.getTime() - DAY);
  });

  it('does not retry when the retry would fall after the deadline; the deadline expires the order', async () => {
    const order = await h.order(expiring(5 * MINUTE, { captureAt: plus(base, -MINUTE).toISOString() }));
    h.acquirer.script(order.paymentId!, { kind: 'F', code: 'USER_BALANCE_NOT_ENOUGH' });
    await h.scheduler.tick(base);
    expect((await h.reload(order.id)).nextCheckAt).toEqual(order.captureDeadline);
    const s = await h.scheduler.tick(plus(base, 6 * MINUTE));
    expect(s.actions).toMatchObject({ deadlineInquiry: 1, expired: 1 });
    expect(s.actions.retry).toBeUndefined();
    expect((await h.reload(order.id)).state).toBe('autoCancelled');
    expect(await h.attempts(order.id)).toHaveLength(1);
  });

  it.each([
    ['PROCESS_FAIL', 'captureFailed'],
    // The id exists with other parameters: the first request may have captured already.
    ['REPEAT_REQ_INCONSISTENT', 'captureFailed'],
    ['AUTH_EXPIRED', 'autoCancelled'],
  ])('F %s is never retried (ends %s)', async (code, state) => {
    const order = await h.order(dueNow());
    h.acquirer.script(order.paymentId!, { kind: 'F', code });
    for (const t of [0, 11 * MINUTE, HOUR, 2 * DAY]) await h.scheduler.tick(plus(base, t));
    expect(h.acquirer.paymentCalls(order.paymentId!)).toBe(1);
    const stored = await h.reload(order.id);
    expect(stored.state).toBe(state);
    if (state === 'captureFailed') expect(stored.reviewReason).toContain(code);
  });

  it('PayerMax: the scheduled capture happens once', async () => {
    const order = await h.order(dueNow({ acquirer: 'payermax' }));
    await h.scheduler.tick(base);
    await h.scheduler.tick(plus(base, HOUR));
    expect(await h.reload(order.id)).toMatchObject({ state: 'captured', capturedAmount: '10000' });
    expect(h.acquirer.paymentCalls(order.paymentId!)).toBe(1);
  });

  it("leaves another instance's claim alone until its lease runs out", async () => {
    const order = await h.order(dueNow());
    await h.uow.run((em) =>
      em
        .getRepository(OrderEntity)
        .update({ id: order.id }, { leaseOwner: 'crashed-instance', leaseUntil: plus(base, 10 * MINUTE) }),
    );
    const s = await h.scheduler.tick(base);
    expect(s.ordersClaimed).toBe(0);
    expect(h.acquirer.paymentCalls(order.paymentId!)).toBe(0);
    await h.scheduler.tick(plus(base, 11 * MINUTE));
    expect(await h.reload(order.id)).toMatchObject({ state: 'captured', leaseOwner: null });
  });
});

describeEachDatabase('capture scheduler batches', (kind) => {
  let h: ExecutionHarness;
  beforeAll(async () => {
    h = await createExecutionHarness(kind, { schedulerBatchSize: 3 });
  });
  afterAll(() => h.close());

  it('works through every due order in batches of schedulerBatchSize, claiming each once', async () => {
    const base = new Date();
    const orders = [];
    for (let i = 0; i < 8; i++) {
      orders.push(await h.order(registration({ captureAt: plus(base, -MINUTE).toISOString() })));
    }
    const s = await h.scheduler.tick(base);
    expect(s).toMatchObject({ ordersClaimed: 8, errors: 0 });
    for (const o of orders) {
      expect(await h.reload(o.id)).toMatchObject({ state: 'captured', leaseOwner: null });
      expect(h.acquirer.paymentCalls(o.paymentId!)).toBe(1);
    }
  });
});
