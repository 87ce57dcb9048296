import { Injectable } from '@nestjs/common';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { CaptureAttemptEntity, OrderEntity } from '../capture/persistence/entities';
import { UnitOfWork } from '../capture/persistence/unit-of-work';
import { OPEN_STATES } from '../capture/states/open-states';

/**
 * The orders table is the queue: a job claims a batch of due rows by writing a lease
 * (orders.lease_owner / lease_until) in one short transaction, works on them outside it, then
 * releases them. On PostgreSQL the batch is selected FOR UPDATE SKIP LOCKED, so concurrent
 * instances take disjoint batches without waiting; on SQLite the write transaction
 * (BEGIN IMMEDIATE) serializes claimers. A crashed instance's lease simply runs out.
 *
 * A released row keeps lease_until = the releasing tick's `now`, and a claim needs
 * lease_until < now: one tick never claims the same row twice, so a tick always ends.
 */
@Injectable()
export class LeaseClaims {
  constructor(private readonly uow: UnitOfWork) {}

  /** Open orders whose next_check_at has come. */
  claimDueOrders(owner: string, now: Date, until: Date, limit: number): Promise<string[]> {
    return this.claim(owner, until, (qb) =>
      qb
        .where('o.state IN (:...open)', { open: OPEN_STATES })
        .andWhere('o.nextCheckAt <= :now', { now })
        .andWhere('(o.leaseUntil IS NULL OR o.leaseUntil < :now)', { now })
        .orderBy('o.nextCheckAt', 'ASC')
        .limit(limit),
    );
  }

  /** Orders (in any state) with a pending attempt whose next inquiry has come. */
  claimDueInquiries(owner: string, now: Date, until: Date, limit: number): Promise<string[]> {
    return this.claim(owner, until, (qb) => {
      const due = qb
        .subQuery()
        .select('a.orderId')
        .from(CaptureAttemptEntity, 'a')
        .where("a.status = 'pending'")
        .andWhere('a.nextInquiryAt <= :now')
        .getQuery();
      return qb
        .where(`o.id IN ${due}`, { now })
        .andWhere('(o.leaseUntil IS NULL OR o.leaseUntil < :now)', { now })
        .limit(limit);
    });
  }

  /**
   * Gives a row back. `nextCheckAt` is written only if nobody changed the order since `version`
   * (a concurrent transition has already computed its own).
   */
  async release(
    orderId: string,
    owner: string,
    now: Date,
    next?: { nextCheckAt: Date | null; version: number },
  ): Promise<void> {
    // Each statement is atomic on its own (UnitOfWork.statement).
    const write = <T>(work: (em: EntityManager) => Promise<T>) => this.uow.statement(work);
    if (next) {
      const r = await write((em) =>
        em
          .getRepository(OrderEntity)
          .update(
            { id: orderId, leaseOwner: owner, version: next.version },
            { leaseOwner: null, leaseUntil: now, nextCheckAt: next.nextCheckAt },
          ),
      );
      if ((r.affected ?? 0) > 0) return;
    }
    await write((em) =>
      em
        .getRepository(OrderEntity)
        .update({ id: orderId, leaseOwner: owner }, { leaseOwner: null, leaseUntil: now }),
    );
  }

  private claim(
    owner: string,
    until: Date,
    filter: (qb: SelectQueryBuilder<OrderEntity>) => SelectQueryBuilder<OrderEntity>,
  ): Promise<string[]> {
    return this.uow.run(async (em: EntityManager) => {
      let qb = filter(em.getRepository(OrderEntity).createQueryBuilder('o').select('o.id', 'id'));
      qb = this.uow.forUpdate(qb, { skipLocked: true });
      const ids = (await qb.getRawMany<{ id: string }>()).map((r) => r.id);
      if (ids.length > 0) {
        await em
          .createQueryBuilder()
          .update(OrderEntity)
          .set({ leaseOwner: owner, leaseUntil: until })
          .whereInIds(ids)
          .execute();
      }
      return ids;
    });
  }
}
