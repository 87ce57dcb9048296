/**
 * Many instances (here: many concurrent calls through one pool of connections) applying
 * results to the same order: the row lock must serialize them so that the outcome is exactly
 * what some serial order of the same events would give, with no lost update.
 */
import { step, type StoredSnapshot } from '../../src/capture/machine/capture-engine';
import type { CaptureEvent } from '../../src/capture/machine/capture-types';
import { OrderEntity, OrderTransitionEntity } from '../../src/capture/persistence/entities';
import { registration } from '../support/capture-testing';
import { describeEachDatabase } from '../support/databases';
import { createExecutionHarness, type ExecutionHarness } from '../support/execution-harness';

describeEachDatabase('concurrent apply on one order', (kind) => {
  let h: ExecutionHarness;
  beforeAll(async () => {
    h = await createExecutionHarness(kind);
  });
  afterAll(() => h.close());

  it('50 calls mixing duplicates and contradictions equal a serial replay', async () => {
    const r = await h.orders.register(
      registration({
        captureMode: 'AUTOMATIC',
        multiCapture: true,
        amount: { currency: 'USD', value: '1000' },
      }),
    );
    if (r.kind !== 'created') throw new Error(r.kind);
    const initial: StoredSnapshot = r.order.snapshot;
    const at = new Date().toISOString();
    const events: CaptureEvent[] = [];
    for (let i = 0; i < 50; i++) {
      const id = `c${i % 6}`; // six captures of 200 would exceed 1000: the sixth must be refused
      events.push(
        i % 3 === 2
          ? { type: 'CAPTURE_FAILED', captureRequestId: id, resultCode: 'PROCESS_FAIL', at }
          : {
              type: 'CAPTURE_SUCCEEDED',
              captureRequestId: id,
              amount: { currency: 'USD', value: '200' },
              at,
            },
      );
    }
    const results = await Promise.all(events.map((e) => h.capture.apply(r.order.id, e, 'test')));

    const applied = results.filter((x) => x.kind === 'applied');
    const transitions = await h.dataSource
      .getRepository(OrderTransitionEntity)
      .find({ where: { orderId: r.order.id }, order: { id: 'ASC' } });
    expect(transitions).toHaveLength(applied.length);
    const stored = await h.dataSource.getRepository(OrderEntity).findOneByOrFail({ id: r.order.id });
    expect(stored.version).toBe(1 + applied.length);
    expect(BigInt(stored.capturedAmount)).toBeLessThanOrEqual(1000n);

    // Replaying the committed transitions in commit order through the pure machine must land on
    // the stored snapshot, and each replayed step must make exactly the recorded move.
    let snapshot = initial;
    for (const t of transitions) {
      const event = { type: t.eventType, ...t.payload } as CaptureEvent;
      const out = step(snapshot, event);
      expect(out.kind).toBe('applied');
      if (out.kind !== 'applied') return;
      expect([out.from, out.to]).toEqual([t.fromState, t.toState]);
      snapshot = out.snapshot;
    }
    expect(snapshot).toEqual(stored.snapshot);
    expect(stored.capturedAmount).toBe(snapshot.context.capturedAmount);
  });

  it('the same success delivered 20 times at once is applied once', async () => {
    const r = await h.orders.register(registration({ captureMode: 'AUTOMATIC' }));
    if (r.kind !== 'created') throw new Error(r.kind);
    const event: CaptureEvent = {
      type: 'CAPTURE_SUCCEEDED',
      captureRequestId: 'once',
      amount: { currency: 'USD', value: '10000' },
      at: new Date().toISOString(),
    };
    const results = await Promise.all(
      Array.from({ length: 20 }, () => h.capture.apply(r.order.id, event, 'test')),
    );
    expect(results.filter((x) => x.kind === 'applied')).toHaveLength(1);
    expect(results.filter((x) => x.kind === 'duplicate')).toHaveLength(19);
    expect(
      await h.dataSource.getRepository(OrderTransitionEntity).count({ where: { orderId: r.order.id } }),
    ).toBe(1);
  });
});
