/**
 * Several service instances (separate Nest modules, separate connection pools) on one database,
 * ticking at the same moment over the same due orders: the leases must hand each order to one
 * instance, and the acquirer (shared, counting) must see exactly one capture per order.
 */
import { CaptureAttemptEntity, OrderEntity } from '../../src/capture/persistence/entities';
import { registration } from '../support/capture-testing';
import { createTestDatabase, type DatabaseKind } from '../support/databases';
import { createExecutionHarness, type ExecutionHarness } from '../support/execution-harness';
import { ScriptedAcquirer } from '../support/scripted-acquirer';
import { HOUR, MINUTE, plus } from '../support/time';

const INSTANCES = 4;
const ORDERS = 200;

// Correctness, not speed: on a loaded machine 200 orders through 4 instances take a while.
jest.setTimeout(300_000);

// PostgreSQL only: several SQLite connections in ONE process would block each other inside
// better-sqlite3's synchronous busy wait (across processes, BEGIN IMMEDIATE queues them fine).
describe.each<DatabaseKind>(['postgres'])('%s: instances sharing one database', (kind) => {
  const instances: ExecutionHarness[] = [];
  const acquirer = new ScriptedAcquirer();
  beforeAll(async () => {
    const db = await createTestDatabase(kind);
    for (let i = 0; i < INSTANCES; i++) {
      instances.push(
        await createExecutionHarness(
          kind,
          { schedulerBatchSize: 16, schedulerConcurrency: 16 },
          { db, acquirer },
        ),
      );
    }
  });
  afterAll(async () => {
    for (const h of instances) await h.close();
    await instances[0]?.db.drop();
  });

  it(`${ORDERS} orders due at once: each claimed by one instance and captured exactly once`, async () => {
    const [first] = instances;
    const base = new Date();
    const due = plus(base, -MINUTE).toISOString();
    const orders: OrderEntity[] = [];
    for (let i = 0; i < ORDERS; i++) orders.push(await first!.order(registration({ captureAt: due })));
    // Let the calls interleave across instances rather than finish inside one claim.
    acquirer.onCall = () => new Promise((resolve) => setImmediate(resolve));

    const ticks = await Promise.all(instances.map((h) => h.scheduler.tick(base)));
    expect(ticks.reduce((n, t) => n + t.ordersClaimed, 0)).toBe(ORDERS);
    expect(ticks.reduce((n, t) => n + t.errors, 0)).toBe(0);
    // The work was shared, not done by one instance while the others waited.
    expect(ticks.filter((t) => t.ordersClaimed > 0).length).toBeGreaterThan(1);

    // Later ticks, everywhere at once, find nothing more to capture.
    await Promise.all(instances.map((h) => h.scheduler.tick(plus(base, HOUR))));

    const stored = await first!.dataSource.getRepository(OrderEntity).find();
    expect(stored).toHaveLength(ORDERS);
    expect(stored.filter((o) => o.state !== 'captured')).toEqual([]);
    expect(stored.filter((o) => o.leaseOwner !== null)).toEqual([]);
    const attempts = await first!.dataSource.getRepository(CaptureAttemptEntity).find();
    expect(attempts).toHaveLength(ORDERS);
    expect(attempts.filter((a) => a.status !== 'succeeded')).toEqual([]);
    for (const o of orders) {
      expect(acquirer.paymentCalls(o.paymentId!)).toBe(1);
      expect(acquirer.captured(o.paymentId!)).toHaveLength(1);
    }
    for (const a of attempts) expect(acquirer.calls(a.captureRequestId)).toBe(1);
  });
});
