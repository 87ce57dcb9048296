import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { OutboxEventEntity } from '../capture/persistence/entities';
import { captureTablePath } from '../capture/persistence/entities/table-names';
import { UnitOfWork } from '../capture/persistence/unit-of-work';

/** The row is its order's oldest undelivered event (the table name follows the host's prefix). */
const headOfOrder = () =>
  `NOT EXISTS (SELECT 1 FROM ${captureTablePath('outbox_events')} p WHERE p.order_id = e.order_id ` +
  'AND p.delivered_at IS NULL AND p.id < e.id)';

/**
 * The outbox rows are the delivery queue. A row is claimed by pushing its next_attempt_at past
 * the delivery (a lease), inside a short transaction that takes the rows with FOR UPDATE SKIP
 * LOCKED on PostgreSQL (SQLite transactions here are exclusive already), so any number of
 * instances share one database and each due row goes to one of them. A claimer that dies leaves
 * its rows to be taken again when the lease runs out: at-least-once, never lost.
 */
@Injectable()
export class OutboxStore {
  constructor(private readonly uow: UnitOfWork) {}

  /**
   * Due rows that are each the oldest undelivered event of their order: an order's later event
   * is never handed out while an earlier one is undelivered, on this instance or another.
   */
  claimDue(now: Date, limit: number, leaseMs: number): Promise<OutboxEventEntity[]> {
    return this.uow.run(async (em) => {
      const repo = em.getRepository(OutboxEventEntity);
      const qb = repo
        .createQueryBuilder('e')
        .where('e.deliveredAt IS NULL')
        .andWhere('(e.nextAttemptAt IS NULL OR e.nextAttemptAt <= :now)', { now })
        .andWhere(headOfOrder())
        .orderBy('e.id', 'ASC')
        .limit(limit);
      this.uow.forUpdate(qb, { skipLocked: true });
      const rows = await qb.getMany();
      if (rows.length === 0) return rows;
      const leaseUntil = new Date(now.getTime() + leaseMs);
      await repo.update({ id: In(rows.map((r) => r.id)) }, { nextAttemptAt: leaseUntil });
      return rows;
    });
  }

  /** One statement for a whole delivered batch. */
  async markDelivered(ids: number[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.uow.statement((em) =>
      em.getRepository(OutboxEventEntity).update({ id: In(ids) }, { deliveredAt: at, lastError: null }),
    );
  }

  async markFailed(id: number, attempts: number, nextAttemptAt: Date, error: string): Promise<void> {
    await this.uow.statement((em) =>
      em
        .getRepository(OutboxEventEntity)
        .update({ id }, { attempts, nextAttemptAt, lastError: error.slice(0, 500) }),
    );
  }

  /**
   * When the earliest deliverable row (the oldest undelivered of its order) becomes due; null
   * when nothing is left. A read, outside any transaction.
   */
  async nextDueAt(): Promise<Date | null> {
    const row = await this.uow.dataSource
      .getRepository(OutboxEventEntity)
      .createQueryBuilder('e')
      .select('MIN(e.nextAttemptAt)', 'next')
      .addSelect('COUNT(*)', 'n')
      .where('e.deliveredAt IS NULL')
      .andWhere(headOfOrder())
      .getRawOne<{ next: unknown; n: unknown }>();
    if (!row || Number(row.n) === 0) return null;
    if (row.next === null || row.next === undefined) return new Date(0);
    return parseDbTime(row.next);
  }
}

/** A raw time from either database: a Date (pg) or TypeORM's UTC text "YYYY-MM-DD HH:MM:SS.SSS" (SQLite). */
function parseDbTime(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}
