import { Inject, Injectable } from '@nestjs/common';
import { CAPTURE_STATES, type CaptureStateName } from '../machine/capture-types';
import { CaptureAttemptEntity, OrderEntity } from '../persistence/entities';
import { UnitOfWork } from '../persistence/unit-of-work';
import { CLOCK, type Clock } from '../ports/clock';
import { OPEN_STATES } from '../states/open-states';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface PendingByAge {
  under5m: number;
  from5mTo1h: number;
  from1hTo24h: number;
  over24h: number;
}

export interface OrderStats {
  byState: Record<CaptureStateName, number>;
  underReview: number;
  /** Open orders whose capture deadline falls in (now, now + 24 h]. */
  lapsingWithin24h: number;
  pendingAttempts: { total: number; byAge: PendingByAge };
  at: Date;
}

/** What an operator's dashboard shows; counts only, computed by the database. */
@Injectable()
export class OrderStatsQuery {
  constructor(
    private readonly uow: UnitOfWork,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async get(now: Date = this.clock.now()): Promise<OrderStats> {
    const ds = this.uow.dataSource;
    const orders = () => ds.getRepository(OrderEntity).createQueryBuilder('o');
    const [states, review, lapsing, pending] = await Promise.all([
      orders()
        .select('o.state', 'state')
        .addSelect('COUNT(*)', 'n')
        .groupBy('o.state')
        .getRawMany<{ state: CaptureStateName; n: unknown }>(),
      orders().select('COUNT(*)', 'n').where('o.reviewReason IS NOT NULL').getRawOne<{ n: unknown }>(),
      orders()
        .select('COUNT(*)', 'n')
        .where('o.state IN (:...open)', { open: OPEN_STATES })
        .andWhere('o.captureDeadline > :now AND o.captureDeadline <= :soon', {
          now,
          soon: new Date(now.getTime() + 24 * HOUR),
        })
        .getRawOne<{ n: unknown }>(),
      ds
        .getRepository(CaptureAttemptEntity)
        .createQueryBuilder('a')
        .select('COUNT(*)', 'total')
        .addSelect('SUM(CASE WHEN a.createdAt > :t5m THEN 1 ELSE 0 END)', 'under5m')
        .addSelect(
          'SUM(CASE WHEN a.createdAt <= :t5m AND a.createdAt > :t1h THEN 1 ELSE 0 END)',
          'from5mTo1h',
        )
        .addSelect(
          'SUM(CASE WHEN a.createdAt <= :t1h AND a.createdAt > :t24h THEN 1 ELSE 0 END)',
          'from1hTo24h',
        )
        .addSelect('SUM(CASE WHEN a.createdAt <= :t24h THEN 1 ELSE 0 END)', 'over24h')
        .where("a.status = 'pending'")
        .setParameters({
          t5m: new Date(now.getTime() - 5 * MINUTE),
          t1h: new Date(now.getTime() - HOUR),
          t24h: new Date(now.getTime() - 24 * HOUR),
        })
        .getRawOne<Record<string, unknown>>(),
    ]);
    const byState = Object.fromEntries(CAPTURE_STATES.map((s) => [s, 0])) as Record<CaptureStateName, number>;
    for (const row of states) byState[row.state] = count(row.n);
    const p = pending ?? {};
    return {
      byState,
      underReview: count(review?.n),
      lapsingWithin24h: count(lapsing?.n),
      pendingAttempts: {
        total: count(p.total),
        byAge: {
          under5m: count(p.under5m),
          from5mTo1h: count(p.from5mTo1h),
          from1hTo24h: count(p.from1hTo24h),
          over24h: count(p.over24h),
        },
      },
      at: now,
    };
  }
}

/** PostgreSQL returns COUNT and SUM as strings (bigint), SQLite as numbers, SUM of nothing as null. */
function count(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}
