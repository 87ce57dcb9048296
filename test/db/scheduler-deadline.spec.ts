/**
 * The deadline: a warning DEADLINE_WARNING_HOURS before it; at it, the acquirer is asked first
 * and the order expires only if no capture turned up (PayerMax, which cannot be asked, expires
 * directly).
 */
import { OutboxEventEntity } from '../../src/capture/persistence/entities';
import type { RegisterOrderInput } from '../../src/capture/registration';
import { registration } from '../support/capture-testing';
import { describeEachDatabase } from '../support/databases';
import { createExecutionHarness, type ExecutionHarness } from '../support/execution-harness';
import { DAY, HOUR, MINUTE, plus } from '../support/time';

describeEachDatabase('capture scheduler: deadline', (kind) => {
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
  const eventTypes = async (orderId: string) =>
    (await h.dataSource.getRepository(OutboxEventEntity).find({ where: { orderId } })).map((e) => e.type);

  it('warns once before the deadline (DEADLINE_WARNING_HOURS)', async () => {
    const order = await h.order(expiring(23 * HOUR));
    const s = await h.scheduler.tick(base);
    expect(s.actions.warning).toBeGreaterThanOrEqual(1);
    await h.scheduler.tick(plus(base, HOUR));
    expect(await h.history(order.id)).toEqual(['DEADLINE_WARNING:authorized->authorized']);
    expect(await eventTypes(order.id)).toEqual(['order.capture_deadline_approaching']);
    expect((await h.reload(order.id)).nextCheckAt).toEqual(order.captureDeadline);
  });

  it('no warning before its time', async () => {
    const order = await h.order(expiring(25 * HOUR));
    await h.scheduler.tick(base);
    expect(await h.history(order.id)).toEqual([]);
  });

  it('deadline: asks the acquirer first and expires the order when it knows no capture', async () => {
    const order = await h.order(expiring(MINUTE));
    const s = await h.scheduler.tick(plus(base, 2 * MINUTE));
    expect(s.actions).toMatchObject({ deadlineInquiry: 1, expired: 1 });
    expect(h.acquirer.inquiries(order.paymentId!)).toBe(1);
    expect(await h.reload(order.id)).toMatchObject({ state: 'autoCancelled', nextCheckAt: null });
    expect(await h.history(order.id)).toEqual(['DEADLINE_REACHED:authorized->autoCancelled']);
    expect(await eventTypes(order.id)).toEqual(['order.auto_cancelled']);
  });

  it('deadline: a capture the acquirer reports wins over expiry', async () => {
    const order = await h.order(expiring(10_000, { captureAt: plus(base, -MINUTE).toISOString() }));
    h.acquirer.script(order.paymentId!, { kind: 'lost' });
    await h.scheduler.tick(base);
    // Too close to the deadline for a regular inquiry: the deadline job asks.
    expect((await h.attempts(order.id))[0]!.nextInquiryAt).toBeNull();
    await h.scheduler.tick(plus(base, MINUTE));
    expect(await h.reload(order.id)).toMatchObject({ state: 'captured', reviewReason: null });
    expect((await h.history(order.id)).some((t) => t.startsWith('DEADLINE_REACHED:'))).toBe(false);
  });

  it('deadline: a partially captured order keeps what it captured; the remainder lapsed, under review', async () => {
    const order = await h.order(expiring(HOUR, { multiCapture: true }));
    await h.requests.requestCapture(order.id, { amount: '3000' }, 'admin');
    await h.executor.whenIdle();
    await h.scheduler.tick(plus(base, 2 * HOUR));
    expect(await h.reload(order.id)).toMatchObject({
      state: 'partiallyLapsed',
      capturedAmount: '3000',
      reviewReason: 'the authorization ended with 3000 of 10000 captured; 7000 lapsed',
      nextCheckAt: null,
    });
    expect(await eventTypes(order.id)).toEqual([
      'order.partially_captured',
      'order.partially_lapsed',
      'order.review_required',
    ]);
  });

  it('deadline while the acquirer cannot be asked: expiry waits, then happens', async () => {
    const order = await h.order(expiring(MINUTE));
    h.acquirer.failInquiries(order.paymentId!);
    const at = plus(base, 2 * MINUTE);
    const s = await h.scheduler.tick(at);
    expect(s.actions.deadlinePostponed).toBe(1);
    expect(await h.reload(order.id)).toMatchObject({ state: 'authorized', nextCheckAt: plus(at, MINUTE) });
    await h.scheduler.tick(plus(base, MINUTE + 16 * MINUTE));
    expect((await h.reload(order.id)).state).toBe('autoCancelled');
  });

  it('deadline with a capture still in process: expiry waits for it', async () => {
    const order = await h.order(expiring(10_000, { captureAt: plus(base, -MINUTE).toISOString() }));
    h.acquirer.script(order.paymentId!, { kind: 'U' });
    await h.scheduler.tick(base);
    await h.scheduler.tick(plus(base, MINUTE));
    expect((await h.reload(order.id)).state).toBe('capturePending');
    const [attempt] = await h.attempts(order.id);
    h.acquirer.settle(attempt!.captureRequestId, { kind: 'S' });
    await h.scheduler.tick(plus(base, 3 * MINUTE));
    expect((await h.reload(order.id)).state).toBe('captured');
  });

  it('PayerMax deadline: no query exists, the order expires directly', async () => {
    const order = await h.order(expiring(MINUTE, { acquirer: 'payermax' }));
    const s = await h.scheduler.tick(plus(base, 2 * MINUTE));
    expect(s.actions.deadlineInquiry).toBeUndefined();
    expect(s.actions.expired).toBe(1);
    expect((await h.reload(order.id)).state).toBe('autoCancelled');
  });
});
