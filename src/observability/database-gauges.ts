import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Gauge, type Registry } from 'prom-client';
import { In, type DataSource } from 'typeorm';
import { CAPTURE_STATES } from '../capture/machine/capture-types';
import { CAPTURE_DATA_SOURCE } from '../capture/persistence/data-source';
import { OrderEntity, OutboxEventEntity } from '../capture/persistence/entities';
import { OPEN_STATES } from '../capture/states/open-states';

const HOUR = 3_600_000;
/** States in which an authorization can still lapse (nothing final has happened yet). */

/**
 * Gauges about the orders and the outbox, read from the database when Prometheus scrapes: the
 * rows are the truth, so no counter kept in memory can drift from them, and every instance
 * reports the same numbers. One grouped query per family, on indexed columns where it matters.
 */
@Injectable()
export class DatabaseGauges {
  private readonly log = new Logger('Metrics');
  private gauges?: ReturnType<typeof createGauges>;
  private inFlight?: Promise<void>;

  constructor(private readonly moduleRef: ModuleRef) {}

  /** The capture module's connection, wherever the host put it (looked up, not injected: this
   * module is global and sits beside CaptureModule, not inside it). */
  private get dataSource(): DataSource {
    return this.moduleRef.get<DataSource>(CAPTURE_DATA_SOURCE, { strict: false });
  }

  register(registry: Registry, prefix: string): void {
    this.gauges = createGauges(registry, prefix);
  }

  /** Concurrent scrapes share one round of queries. */
  refresh(now = new Date()): Promise<void> {
    this.inFlight ??= this.read(now).finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async read(now: Date): Promise<void> {
    const g = this.gauges;
    if (!g) return;
    try {
      const [orders, lapsing, outbox] = await Promise.all([
        this.ordersByState(),
        this.lapsingWithin24h(now),
        this.outboxBacklog(),
      ]);
      g.orders.reset();
      for (const state of CAPTURE_STATES) g.orders.set({ state }, 0);
      let inReview = 0;
      for (const row of orders) {
        g.orders.inc({ state: row.state }, Number(row.n));
        if (Number(row.review) === 1) inReview += Number(row.n);
      }
      g.review.set(inReview);
      g.lapsing.reset();
      for (const acquirer of ['antom', 'payermax']) g.lapsing.set({ acquirer }, 0);
      for (const row of lapsing) g.lapsing.set({ acquirer: row.acquirer }, Number(row.n));
      g.outboxBacklog.set(Number(outbox?.n ?? 0));
      const oldest = dbTime(outbox?.oldest);
      g.outboxOldest.set(oldest === null ? 0 : Math.max(0, (now.getTime() - oldest) / 1000));
      g.up.set(1);
    } catch (err) {
      g.up.set(0);
      this.log.warn(`database gauges not refreshed: ${(err as Error).message}`);
    }
  }

  private ordersByState(): Promise<{ state: string; review: number | string; n: number | string }[]> {
    const review = 'CASE WHEN o.review_reason IS NULL THEN 0 ELSE 1 END';
    return this.dataSource
      .getRepository(OrderEntity)
      .createQueryBuilder('o')
      .select('o.state', 'state')
      .addSelect(review, 'review')
      .addSelect('COUNT(*)', 'n')
      .groupBy('o.state')
      .addGroupBy(review)
      .getRawMany();
  }

  private lapsingWithin24h(now: Date): Promise<{ acquirer: string; n: number | string }[]> {
    return this.dataSource
      .getRepository(OrderEntity)
      .createQueryBuilder('o')
      .select('o.acquirer', 'acquirer')
      .addSelect('COUNT(*)', 'n')
      .where('o.captureDeadline > :now', { now })
      .andWhere('o.captureDeadline <= :until', { until: new Date(now.getTime() + 24 * HOUR) })
      .andWhere({ state: In(OPEN_STATES) })
      .groupBy('o.acquirer')
      .getRawMany();
  }

  private outboxBacklog(): Promise<{ n: number | string; oldest: string | Date | null } | undefined> {
    return this.dataSource
      .getRepository(OutboxEventEntity)
      .createQueryBuilder('e')
      .select('COUNT(*)', 'n')
      .addSelect('MIN(e.createdAt)', 'oldest')
      .where('e.deliveredAt IS NULL')
      .getRawOne();
  }
}

/** A raw timestamp: a Date from PostgreSQL, UTC text without a zone from SQLite. */
function dbTime(value: string | Date | null | undefined): number | null {
  if (!value) return null;
  const ms =
    value instanceof Date
      ? value.getTime()
      : Date.parse(/[zZ+]|-\d\d:\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? null : ms;
}

function createGauges(registry: Registry, prefix: string) {
  const gauge = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
    new Gauge<L>({ name: `${prefix}${name}`, help, labelNames, registers: [registry] });
  return {
    orders: gauge('orders', 'Orders by state', ['state']),
    review: gauge('orders_in_review', 'Orders with an open review flag'),
    lapsing: gauge(
      'authorizations_lapsing_24h',
      'Orders not yet captured whose authorization lapses within 24 h',
      ['acquirer'],
    ),
    outboxBacklog: gauge('outbox_backlog', 'Domain events not delivered yet'),
    outboxOldest: gauge('outbox_oldest_age_seconds', 'Age of the oldest undelivered domain event'),
    up: gauge('database_gauges_up', '1 when the last scrape read the database gauges, 0 when it failed'),
  };
}
