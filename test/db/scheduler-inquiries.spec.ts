/**
 * The scheduler's reconciliation job: pending attempts inquired on the INQUIRY_BACKOFF_MS
 * schedule (never past the deadline), crashes between commit and call, AUTOMATIC orders whose
 * result has not come after the grace period.
 */
import { newCaptureRequestId } from '../../src/capture/execution/capture-request.service';
import {} from '../../src/capture/persistence/entities';
import type { RegisterOrderInput } from '../../src/capture/registration';
import { registration } from '../support/capture-testing';
import { describeEachDatabase } from '../support/databases';
import { createExecutionHarness, type ExecutionHarness } from '../support/execution-harness';
import { DAY, MINUTE, plus } from '../support/time';

describeEachDatabase('capture scheduler: inquiries', (kind) => {
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

  it('U: inquiries follow INQUIRY_BACKOFF_MS until the acquirer has a result', async () => {
    const order = await h.order(dueNow());
    h.acquirer.script(order.paymentId!, { kind: 'U' });
    await h.scheduler.tick(base);
    const [attempt] = await h.attempts(order.id);
    await h.scheduler.tick(plus(base, 30_000));
    expect(h.acquirer.inquiries(order.paymentId!)).toBe(0);
    await h.scheduler.tick(plus(base, 2 * MINUTE));
    expect(h.acquirer.inquiries(order.paymentId!)).toBe(1);
    const [after] = await h.attempts(order.id);
    expect(after!.nextInquiryAt).toEqual(plus(base, 2 * MINUTE + 300_000));
    await h.scheduler.tick(plus(base, 6 * MINUTE));
    expect(h.acquirer.inquiries(order.paymentId!)).toBe(1);
    h.acquirer.settle(attempt!.captureRequestId, { kind: 'S' });
    const s = await h.scheduler.tick(plus(base, 7 * MINUTE));
    expect(s.actions.reconciled).toBe(1);
    expect(h.acquirer.inquiries(order.paymentId!)).toBe(2);
    expect(await h.reload(order.id)).toMatchObject({ state: 'captured', leaseOwner: null });
    expect(h.acquirer.calls(attempt!.captureRequestId)).toBe(1);
  });

  it('no answer at all: the scheduled inquiry finds the capture (lost response, lost notification)', async () => {
    const order = await h.order(dueNow());
    h.acquirer.script(order.paymentId!, { kind: 'lost' });
    await h.scheduler.tick(base);
    expect((await h.reload(order.id)).state).toBe('capturePending');
    await h.scheduler.tick(plus(base, 2 * MINUTE));
    expect((await h.reload(order.id)).state).toBe('captured');
    expect(h.acquirer.paymentCalls(order.paymentId!)).toBe(1);
  });

  it('crash between commit and call: the reconciliation job resolves it with no capture call', async () => {
    const order = await h.order(registration());
    const captureRequestId = newCaptureRequestId();
    const amount = { currency: 'USD', value: '10000' };
    await h.uow.run(
      (em) =>
        h.capture.applyWithin(
          em,
          order.id,
          { type: 'CAPTURE_REQUESTED', captureRequestId, amount, at: base.toISOString() },
          'admin',
        ),
      { skipAfterCommit: true },
    );
    // The process died after the commit; the acquirer had received the call and captured.
    h.acquirer.seed(order.paymentId!, { captureRequestId, status: 'S', amount, captureId: 'cap-1' });
    await h.scheduler.tick(plus(base, 2 * MINUTE));
    expect((await h.reload(order.id)).state).toBe('captured');
    expect(h.acquirer.calls(captureRequestId)).toBe(0);
  });

  it('crash before the call was made: the reconciliation job makes it, once', async () => {
    const order = await h.order(registration());
    const captureRequestId = newCaptureRequestId();
    await h.uow.run(
      (em) =>
        h.capture.applyWithin(
          em,
          order.id,
          {
            type: 'CAPTURE_REQUESTED',
            captureRequestId,
            amount: { currency: 'USD', value: '10000' },
            at: base.toISOString(),
          },
          'admin',
        ),
      { skipAfterCommit: true },
    );
    await h.scheduler.tick(plus(base, 2 * MINUTE));
    await h.scheduler.tick(plus(base, 20 * MINUTE));
    expect((await h.reload(order.id)).state).toBe('captured');
    expect(h.acquirer.calls(captureRequestId)).toBe(1);
  });

  it('pending attempt near the deadline: the last inquiry comes just before it, none after', async () => {
    const order = await h.order(expiring(3 * MINUTE, { captureAt: plus(base, -MINUTE).toISOString() }));
    h.acquirer.script(order.paymentId!, { kind: 'U' });
    await h.scheduler.tick(base);
    const lastSlot = plus(order.captureDeadline, -MINUTE);
    await h.scheduler.tick(plus(base, 90_000));
    expect(h.acquirer.inquiries(order.paymentId!)).toBe(1);
    expect((await h.attempts(order.id))[0]!.nextInquiryAt).toEqual(lastSlot);
    await h.scheduler.tick(lastSlot);
    expect(h.acquirer.inquiries(order.paymentId!)).toBe(2);
    expect((await h.attempts(order.id))[0]!.nextInquiryAt).toBeNull();
  });

  it('AUTOMATIC: inquires after the grace period, then on the backoff schedule, and applies the capture', async () => {
    const order = await h.order(
      registration({ captureMode: 'AUTOMATIC', authorizedAt: plus(base, -30 * MINUTE).toISOString() }),
    );
    await h.scheduler.tick(plus(base, 10 * MINUTE));
    expect(h.acquirer.inquiries(order.paymentId!)).toBe(0);
    const s = await h.scheduler.tick(plus(base, 31 * MINUTE));
    expect(s.actions.automaticInquiry).toBe(1);
    expect(h.acquirer.inquiries(order.paymentId!)).toBe(1);
    // Points: grace end (+30m), +1m, +5m: the next after 31m is 36m.
    expect((await h.reload(order.id)).nextCheckAt).toEqual(plus(base, 36 * MINUTE));
    await h.scheduler.tick(plus(base, 33 * MINUTE));
    expect(h.acquirer.inquiries(order.paymentId!)).toBe(1);
    h.acquirer.seed(order.paymentId!, {
      captureRequestId: 'acq-auto',
      status: 'S',
      amount: { currency: 'USD', value: '10000' },
    });
    await h.scheduler.tick(plus(base, 36 * MINUTE));
    expect(await h.reload(order.id)).toMatchObject({ state: 'captured', reviewReason: null });
    expect(h.acquirer.paymentCalls(order.paymentId!)).toBe(0);
  });
});
