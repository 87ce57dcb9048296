/**
 * The jobs' trigger: with the host's ScheduleModule.forRoot() and schedulerEnabled, the capture
 * module registers one interval with SchedulerRegistry and due work gets done without anyone
 * calling tick(); without either, nothing runs by itself.
 */
import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { registration } from '../support/capture-testing';
import { describeEachDatabase } from '../support/databases';
import { createExecutionHarness, type ExecutionHarness } from '../support/execution-harness';
import { MINUTE, plus } from '../support/time';

/** Polls until `check` holds, for at most `ms`. */
async function eventually(check: () => Promise<boolean>, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

describeEachDatabase('scheduler triggers', (kind) => {
  describe('enabled, with the host importing ScheduleModule.forRoot()', () => {
    let h: ExecutionHarness;
    beforeAll(async () => {
      h = await createExecutionHarness(
        kind,
        { schedulerEnabled: true, schedulerIntervalMs: 50 },
        { imports: [ScheduleModule.forRoot()] },
      );
    });
    afterAll(() => h?.close());

    it('registers its interval, and a due order is captured with nobody calling tick()', async () => {
      const registry = h.module.get(SchedulerRegistry);
      expect(registry.getIntervals()).toEqual([`order-capture:${h.scheduler.owner}`]);
      const order = await h.order(registration({ captureAt: plus(new Date(), -MINUTE).toISOString() }));
      const captured = await eventually(async () => (await h.reload(order.id)).state === 'captured');
      expect(captured).toBe(true);
      expect(h.acquirer.paymentCalls(order.paymentId!)).toBe(1);
    });
  });

  describe('disabled (SCHEDULER_ENABLED=false)', () => {
    let h: ExecutionHarness;
    beforeAll(async () => {
      h = await createExecutionHarness(
        kind,
        { schedulerEnabled: false, schedulerIntervalMs: 50 },
        { imports: [ScheduleModule.forRoot()] },
      );
    });
    afterAll(() => h?.close());

    it('registers nothing and leaves due orders to another instance', async () => {
      expect(h.module.get(SchedulerRegistry).getIntervals()).toEqual([]);
      const order = await h.order(registration({ captureAt: plus(new Date(), -MINUTE).toISOString() }));
      await new Promise((r) => setTimeout(r, 300));
      expect((await h.reload(order.id)).state).toBe('authorized');
    });
  });
});
