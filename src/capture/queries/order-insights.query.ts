import { Injectable } from '@nestjs/common';
import type { CaptureStateName } from '../machine/capture-types';
import { CaptureAttemptEntity, OrderEntity } from '../persistence/entities';
import { UnitOfWork } from '../persistence/unit-of-work';

const HOUR = 3_600_000;
/** States in which an authorization can still lapse: nothing final has happened to the money yet. */
const OPEN: CaptureStateName[] = ['authorized', 'capturePending', 'partiallyCaptured', 'captureFailed'];

/**
 * Upper bounds (ms) of the capture-time buckets; the last bucket is open-ended. Sized for what
 * a capture does: most answer in seconds, in-process ones resolve in minutes to hours.
 */
const CAPTURE_TIME_BOUNDS_MS = [1_000, 5_000, 30_000, 60_000, 300_000, 3_600_000, 86_400_000];

export interface PendingAttempt {
  attempt: CaptureAttemptEntity;
  order: Pick<OrderEntity, 'id' | 'merchantOrderId' | 'acquirer' | 'state' | 'captureDeadline'>;
}

export interface DeadlineCliff {
  from: Date;
  /** counts[i]: open authorizations whose deadline falls in (from + i h, from + (i+1) h]. */
  counts: number[];
}

export interface CaptureTimes {
  since: Date;
  /** Attempts we sent that reached a result (succeeded or failed) since `since`. */
  count: number;
  /** buckets[i] counts durations <= bounds[i] (and above the previous bound); the last has no bound. */
  buckets: { upToMs: number | null; count: number }[];
  p50Ms: number | null;
  p90Ms: number | null;
  maxMs: number | null;
}

/** What needs a person now and how captures behave; read-only, for the operator console. */
@Injectable()
export class OrderInsightsQuery {
  constructor(private readonly uow: UnitOfWork) {}

  /** Open orders whose deadline falls in (now, now + withinHours], soonest first. */
  lapsing(now: Date, withinHours: number, limit: number): Promise<OrderEntity[]> {
    return this.uow.dataSource
      .getRepository(OrderEntity)
      .createQueryBuilder('o')
      .where('o.state IN (:...open)', { open: OPEN })
      .andWhere('o.captureDeadline > :now AND o.captureDeadline <= :until', {
        now,
        until: new Date(now.getTime() + withinHours * HOUR),
      })
      .orderBy('o.captureDeadline', 'ASC')
      .addOrderBy('o.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** Attempts still pending that were created at or before now - olderThanMs, oldest first. */
  async pendingAttempts(now: Date, olderThanMs: number, limit: number): Promise<PendingAttempt[]> {
    const ds = this.uow.dataSource;
    const attempts = await ds
      .getRepository(CaptureAttemptEntity)
      .createQueryBuilder('a')
      .where("a.status = 'pending'")
      .andWhere('a.createdAt <= :before', { before: new Date(now.getTime() - olderThanMs) })
      .orderBy('a.createdAt', 'ASC')
      .addOrderBy('a.captureRequestId', 'ASC')
      .limit(limit)
      .getMany();
    if (attempts.length === 0) return [];
    const orders = await ds
      .getRepository(OrderEntity)
      .createQueryBuilder('o')
      .select(['o.id', 'o.merchantOrderId', 'o.acquirer', 'o.state', 'o.captureDeadline'])
      .where('o.id IN (:...ids)', { ids: [...new Set(attempts.map((a) => a.orderId))] })
      .getMany();
    const byId = new Map(orders.map((o) => [o.id, o]));
    return attempts.flatMap((attempt) => {
      const order = byId.get(attempt.orderId);
      return order ? [{ attempt, order }] : [];
    });
  }

  /**
   * Open authorizations lapsing per hour over the next `hours`. Only the deadline column of the
   * rows in the window is read (through its index) and bucketed here: hour arithmetic on
   * timestamps is spelt differently by SQLite and PostgreSQL.
   */
  async deadlineCliff(now: Date, hours: number): Promise<DeadlineCliff> {
    const rows = await this.uow.dataSource
      .getRepository(OrderEntity)
      .createQueryBuilder('o')
      .select(['o.id', 'o.captureDeadline'])
      .where('o.state IN (:...open)', { open: OPEN })
      .andWhere('o.captureDeadline > :now AND o.captureDeadline <= :until', {
        now,
        until: new Date(now.getTime() + hours * HOUR),
      })
      .getMany();
    const counts = new Array<number>(hours).fill(0);
    for (const row of rows) {
      const slot = Math.ceil((row.captureDeadline.getTime() - now.getTime()) / HOUR) - 1;
      const at = Math.min(Math.max(slot, 0), hours - 1);
      counts[at] = (counts[at] ?? 0) + 1;
    }
    return { from: now, counts };
  }

  /**
   * How long our captures took from the request (the attempt's commit) to their result (success
   * or failure, however it arrived), over the attempts resolved since `since`.
   */
  async captureTimes(since: Date): Promise<CaptureTimes> {
    const rows = await this.uow.dataSource
      .getRepository(CaptureAttemptEntity)
      .createQueryBuilder('a')
      .select(['a.captureRequestId', 'a.createdAt', 'a.resolvedAt'])
      .where("a.origin = 'merchant'")
      .andWhere("a.status IN ('succeeded', 'failed')")
      .andWhere('a.resolvedAt IS NOT NULL AND a.resolvedAt >= :since', { since })
      .getMany();
    const durations = rows
      .map((a) => Math.max(0, (a.resolvedAt as Date).getTime() - a.createdAt.getTime()))
      .sort((x, y) => x - y);
    const buckets = [...CAPTURE_TIME_BOUNDS_MS, null].map((upToMs) => ({ upToMs, count: 0 }));
    for (const ms of durations) {
      const i = CAPTURE_TIME_BOUNDS_MS.findIndex((bound) => ms <= bound);
      const bucket = buckets[i === -1 ? buckets.length - 1 : i];
      if (bucket) bucket.count += 1;
    }
    const rank = (q: number) => durations[Math.ceil(q * durations.length) - 1] ?? null;
    return {
      since,
      count: durations.length,
      buckets,
      p50Ms: rank(0.5),
      p90Ms: rank(0.9),
      maxMs: durations.at(-1) ?? null,
    };
  }
}
