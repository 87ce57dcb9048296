/**
 * A step's writes are sent without waiting on PostgreSQL and settled with COMMIT: a write that
 * fails there must still fail the whole transaction (nothing of it stored, no after-commit work)
 * and the error reported must be that write's, not the "transaction is aborted" of a statement
 * that ran after it.
 */
import { OrderEntity, OrderTransitionEntity } from '../../src/capture/persistence/entities';
import { runSql } from '../../src/capture/persistence/sql-batch';
import { registration } from '../support/capture-testing';
import { describeEachDatabase } from '../support/databases';
import { createExecutionHarness, type ExecutionHarness } from '../support/execution-harness';

const FOREIGN_KEY = /foreign key/i;

describeEachDatabase('writes settled at commit', (kind) => {
  let h: ExecutionHarness;
  beforeAll(async () => {
    h = await createExecutionHarness(kind);
  });
  afterAll(() => h.close());

  async function newOrder(): Promise<string> {
    const r = await h.orders.register(registration({ captureMode: 'MANUAL' }));
    if (r.kind !== 'created') throw new Error(r.kind);
    return r.order.id;
  }

  /** One step that applies (and writes the order, its history and nothing else). */
  function flagReview(em: Parameters<typeof runSql>[0], orderId: string) {
    const at = new Date().toISOString();
    return h.capture.applyWithin(
      em,
      orderId,
      { type: 'REVIEW_FLAGGED', reason: 'looked at by a test', at },
      'test',
    );
  }

  /** A transition row for an order that does not exist: refused by the foreign key. */
  function orphanTransition(em: Parameters<typeof runSql>[0]) {
    const { transitions } = h.uow.tables;
    const batch = h.uow.batch();
    batch.add(
      transitions.insert(batch.params, [
        {
          orderId: 'no-such-order',
          fromState: 'authorized',
          toState: 'authorized',
          eventType: 'REVIEW_FLAGGED',
          source: 'test',
          payload: { reason: 'refused by the foreign key', at: new Date().toISOString() },
          at: new Date(),
        },
      ]),
    );
    const written = batch.run(em);
    if (h.uow.defersWrites(em)) h.uow.settleAtCommit(em, written);
    return written;
  }

  it('a failing write rolls back the step applied before it, with its own error', async () => {
    const orderId = await newOrder();
    let afterCommitRan = false;
    const run = h.uow.run(async (em) => {
      const applied = await flagReview(em, orderId);
      expect(applied.kind).toBe('applied');
      h.uow.afterCommit(em, () => {
        afterCommitRan = true;
      });
      const failing = orphanTransition(em);
      // On SQLite the write ran already and failed here; on PostgreSQL it fails at commit.
      if (!h.uow.defersWrites(em)) await failing;
      // A statement sent after the failed one fails too (PostgreSQL: transaction aborted).
      await runSql(em, 'SELECT 1 AS one', []).catch(() => undefined);
    });
    await expect(run).rejects.toThrow(FOREIGN_KEY);
    expect(afterCommitRan).toBe(false);
    const order = await h.dataSource.getRepository(OrderEntity).findOneByOrFail({ id: orderId });
    expect(order.reviewReason).toBeNull();
    expect(await h.dataSource.getRepository(OrderTransitionEntity).countBy({ orderId })).toBe(0);
  });

  it('a transaction whose writes all succeed commits them and runs its after-commit work', async () => {
    const orderId = await newOrder();
    let afterCommitRan = false;
    await h.uow.run(async (em) => {
      await flagReview(em, orderId);
      h.uow.afterCommit(em, () => {
        afterCommitRan = true;
      });
    });
    expect(afterCommitRan).toBe(true);
    const order = await h.dataSource.getRepository(OrderEntity).findOneByOrFail({ id: orderId });
    expect(order.reviewReason).toBe('looked at by a test');
    expect(await h.dataSource.getRepository(OrderTransitionEntity).countBy({ orderId })).toBe(1);
  });
});
