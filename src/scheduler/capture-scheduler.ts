import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from '../capture/options/capture-options';
import { AttemptLedger } from '../capture/execution/attempt-ledger';
import { CaptureExecutor } from '../capture/execution/capture-executor';
import { ReconciliationService } from '../capture/execution/reconciliation.service';
import { inquiryDelayMs } from '../capture/schedule/inquiry-schedule';
import { computeNextCheckAt } from '../capture/schedule/next-check';
import { OrderEntity } from '../capture/persistence/entities';
import { UnitOfWork } from '../capture/persistence/unit-of-work';
import { MetricsService } from '../observability/metrics.service';
import { runClaimPipeline } from './claim-pipeline';
import { DueOrderProcessor, type DueAction } from './due-order-processor';
import { LeaseClaims } from './lease-claims';
import { CLOCK, type Clock } from '../capture/ports/clock';

export interface TickSummary {
  ordersClaimed: number;
  inquiriesClaimed: number;
  actions: Partial<Record<DueAction | 'reconciled', number>>;
  errors: number;
}

/**
 * The scheduler's jobs, run by `tick(now)`: orders whose next check has come (scheduled
 * captures, retries, warnings, deadlines, AUTOMATIC inquiries), then orders with a pending
 * attempt whose next inquiry has come. Both claim rows with a lease, a few at a time as the
 * orders at work (at most schedulerConcurrency) finish, so any number of instances share one
 * database and memory stays as deep as the orders at work.
 *
 * @nestjs/schedule only triggers ticks: the host imports ScheduleModule.forRoot(); this module
 * registers an interval with its SchedulerRegistry when schedulerEnabled. Tests call tick(now).
 */
@Injectable()
export class CaptureScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger(CaptureScheduler.name);
  /** This instance's name on the leases it holds. */
  readonly owner = `${hostname().slice(0, 40)}:${process.pid}:${randomBytes(4).toString('hex')}`;
  /** Long enough for an order's acquirer calls; a crashed instance's claims free up after it. */
  readonly leaseMs: number;
  private readonly intervalName = `order-capture:${this.owner}`;
  private running: Promise<unknown> | null = null;
  /** Set at shutdown: the orders at work finish and release their leases; nothing more is claimed. */
  private stopping = false;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly claims: LeaseClaims,
    private readonly due: DueOrderProcessor,
    private readonly reconciliation: ReconciliationService,
    private readonly executor: CaptureExecutor,
    private readonly ledger: AttemptLedger,
    @Inject(CAPTURE_OPTIONS) private readonly options: CaptureModuleOptions,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(SchedulerRegistry) private readonly registry?: SchedulerRegistry,
    @Optional() private readonly metrics?: MetricsService,
  ) {
    this.leaseMs = Math.max(60_000, options.acquirerTimeoutMs * 6, options.schedulerIntervalMs * 2);
  }

  onApplicationBootstrap(): void {
    if (!this.options.schedulerEnabled) return;
    // Optional injection only to say what is missing: without it no capture job would ever run.
    if (!this.registry) {
      throw new Error(
        'order-capture: scheduled captures need ScheduleModule.forRoot() (@nestjs/schedule) in the host app,' +
          ' or schedulerEnabled: false on an instance that runs no jobs. If it is imported, the app holds two' +
          ' copies of @nestjs/schedule (`npm ls @nestjs/schedule`); order-capture takes it as a peer dependency.',
      );
    }
    const handle = setInterval(() => this.runScheduled(), this.options.schedulerIntervalMs);
    this.registry.addInterval(this.intervalName, handle);
  }

  /** The jobs' interval is registered and not stopping (health: "scheduler running"). */
  isRunning(): boolean {
    return !this.stopping && !!this.registry?.doesExist('interval', this.intervalName);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.registry?.doesExist('interval', this.intervalName))
      this.registry.deleteInterval(this.intervalName);
    await this.running;
  }

  /** One run of every job at `now`; the interval calls it with the clock, tests with their own. */
  async tick(now: Date = this.clock.now()): Promise<TickSummary> {
    const summary: TickSummary = { ordersClaimed: 0, inquiriesClaimed: 0, actions: {}, errors: 0 };
    const count = (a: DueAction | 'reconciled') => (summary.actions[a] = (summary.actions[a] ?? 0) + 1);

    summary.ordersClaimed = await this.drain(
      'dueOrders',
      (until, limit) => this.claims.claimDueOrders(this.owner, now, until, limit),
      now,
      async (order) => (await this.due.process(order, now)).forEach(count),
      (id) => this.releaseWithNextCheck(id, now),
      summary,
    );
    summary.inquiriesClaimed = await this.drain(
      'dueInquiries',
      (until, limit) => this.claims.claimDueInquiries(this.owner, now, until, limit),
      now,
      async (order) => {
        await this.reconciliation.reconcile(order, 'scheduler:inquiry', now);
        count('reconciled');
      },
      (id) => this.claims.release(id, this.owner, now),
      summary,
    );
    return summary;
  }

  /**
   * Claims due rows as slots free up (claim-pipeline.ts) until a claim comes back short; each
   * order is worked, its acquirer calls awaited, then released, on its own.
   */
  private async drain(
    job: string,
    claim: (until: Date, limit: number) => Promise<OrderEntity[]>,
    now: Date,
    work: (order: OrderEntity) => Promise<void>,
    release: (orderId: string) => Promise<void>,
    summary: TickSummary,
  ): Promise<number> {
    // A tick may outlast a lease: each claim's lease counts from `now` plus the time the tick
    // has run (monotonic), so rows claimed late keep a whole lease for their work.
    const started = performance.now();
    const leaseFromNow = () => new Date(now.getTime() + (performance.now() - started) + this.leaseMs);
    const one = async (order: OrderEntity): Promise<void> => {
      const id = order.id;
      try {
        await work(order);
      } catch (err) {
        summary.errors += 1;
        this.log.error(`scheduled work on order ${id} failed: ${(err as Error).message}`);
        await this.afterError(id, now);
      }
      // The calls this order's work started (not an operator's elsewhere) end before its lease does.
      await this.executor.whenIdle([id]);
      await release(id).catch((err: Error) => this.log.error(`release ${id}: ${err.message}`));
    };
    return runClaimPipeline(
      (limit) => claim(leaseFromNow(), limit),
      one,
      {
        batchSize: this.options.schedulerBatchSize,
        concurrency: this.options.schedulerConcurrency,
        stopped: () => this.stopping,
      },
      (batch) => this.metrics?.schedulerBatch(job, batch.size, batch.seconds),
    );
  }

  /**
   * The next check as the order now stands, counting an AUTOMATIC inquiry as made at `now`.
   * Anything still due (an error, a refused request, a postponed deadline) is looked at again
   * after the first inquiry delay rather than on every tick.
   */
  private async releaseWithNextCheck(orderId: string, now: Date): Promise<void> {
    // Most orders the scheduler worked are closed now (captured, expired): no read needed.
    if (await this.claims.releaseClosed(orderId, this.owner, now)) return;
    const order = await this.uow.dataSource.getRepository(OrderEntity).findOne({ where: { id: orderId } });
    if (!order) return this.claims.release(orderId, this.owner, now);
    let next = computeNextCheckAt(order, this.options, now);
    if (next && next.getTime() <= now.getTime())
      next = new Date(now.getTime() + inquiryDelayMs(0, this.options.inquiryBackoffMs));
    await this.claims.release(orderId, this.owner, now, { nextCheckAt: next, version: order.version });
  }

  private async afterError(orderId: string, now: Date): Promise<void> {
    const later = new Date(now.getTime() + inquiryDelayMs(0, this.options.inquiryBackoffMs));
    await this.ledger.postponeDue(orderId, now, later).catch(() => undefined);
  }

  private runScheduled(): void {
    if (this.running) return; // the previous tick is still at work: never overlap
    this.running = this.tick(this.clock.now())
      .catch((err: Error) => this.log.error(`scheduler tick failed: ${err.message}`))
      .finally(() => (this.running = null));
  }
}
