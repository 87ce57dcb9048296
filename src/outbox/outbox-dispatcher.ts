import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { EventEmitter2, EventEmitterReadinessWatcher } from '@nestjs/event-emitter';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from '../capture/options/capture-options';
import { OrderEventApplier } from '../capture/order-event-applier';
import type { OutboxEventEntity } from '../capture/persistence/entities';
import { OutboxStore } from './outbox-store';
import { postDomainEvent } from './shipping-webhook-client';
import { CLOCK, type Clock } from '../capture/ports/clock';

/** Delays before retrying a failed delivery: 0.5 s doubling, at most 5 minutes. */
export function deliveryBackoffMs(failures: number): number {
  return Math.min(500 * 2 ** Math.max(0, failures - 1), 300_000);
}

const BATCH = 50;
/** Long enough for one delivery (listeners and the webhook's timeout); a crashed claimer's rows wait this long. */
const LEASE_EXTRA_MS = 30_000;

/**
 * Delivers the outbox after commit: to in-process listeners (@nestjs/event-emitter, event name =
 * the domain type, e.g. `order.captured`) and, when SHIPPING_WEBHOOK_URL is set, POSTed there.
 * A row is delivered once both succeeded; until then it is retried with backoff (at-least-once:
 * consumers deduplicate on the event `id`). It runs after every commit that wrote events, at
 * start (rows left undelivered by a previous run), when the next retry is due, and on a sweep.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Outbox');
  /** Rows whose listeners already ran in this process; a webhook retry does not run them again. */
  private readonly emitted = new Set<number>();
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  /** Until the listeners are subscribed nothing is delivered (they would miss it). */
  private ready = false;
  private sweep?: NodeJS.Timeout;
  private wake?: NodeJS.Timeout;

  constructor(
    private readonly store: OutboxStore,
    private readonly capture: OrderEventApplier,
    @Inject(CAPTURE_OPTIONS) private readonly options: CaptureModuleOptions,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() private readonly emitter?: EventEmitter2,
    @Optional() private readonly listenersReady?: EventEmitterReadinessWatcher,
  ) {}

  onApplicationBootstrap(): void {
    // Optional injection only to say what is missing: without it every event would be lost silently.
    if (!this.emitter) {
      throw new Error(
        'order-capture: domain events need EventEmitterModule.forRoot() (@nestjs/event-emitter) in the host app.' +
          ' If it is imported, the app holds two copies of @nestjs/event-emitter (`npm ls @nestjs/event-emitter`);' +
          ' order-capture takes it as a peer dependency.',
      );
    }
    this.capture.onCommitted((applied) => {
      if (applied.effects.some((e) => e.type === 'emit')) this.kick();
    });
    this.sweep = setInterval(() => this.kick(), this.sweepMs);
    this.sweep.unref();
    // Listeners are subscribed during the same bootstrap; events left from a previous run wait for them.
    const ready = this.listenersReady?.waitUntilReady() ?? Promise.resolve();
    // Not awaited: start-up does not wait for the listeners. A failure is logged, then the outbox
    // starts anyway; kick() never rejects (its delivery run catches and logs).
    void ready
      .catch((err: Error) => this.log.error(`event listeners failed to start: ${err.message}`))
      .then(() => {
        this.ready = true;
        this.kick();
      });
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweep);
    clearTimeout(this.wake);
    await this.running;
  }

  /** Deliver what is due now; cheap to call often (runs coalesce). */
  kick(): void {
    if (this.stopped || !this.ready) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /** Resolves once no delivery run is in progress (shutdown and tests wait on it). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) return;
        const now = this.clock.now();
        // A read first: an idle sweep must not take SQLite's write lock.
        const next = await this.store.nextDueAt();
        if (next === null) return;
        if (next.getTime() > now.getTime()) return this.wakeAt(next);
        const rows = await this.store.claimDue(now, BATCH, this.options.acquirerTimeoutMs + LEASE_EXTRA_MS);
        // Another instance took them between the read and the claim; look again shortly.
        if (rows.length === 0) return this.wakeAt(new Date(now.getTime() + 1000));
        // One row per order at most (the oldest undelivered), so a batch can go out in parallel;
        // what was delivered is marked in one statement.
        const delivered = await Promise.all(rows.map((row) => this.deliver(row)));
        const ids = rows.filter((_, i) => delivered[i]).map((row) => row.id);
        await this.store.markDelivered(ids, new Date());
        for (const id of ids) this.emitted.delete(id);
      }
    } catch (err) {
      this.log.error(`outbox delivery stopped early: ${(err as Error).message}`);
    }
  }

  /** True once the listeners and the webhook took it; a failure is recorded with its retry time. */
  private async deliver(row: OutboxEventEntity): Promise<boolean> {
    try {
      if (this.emitter && !this.emitted.has(row.id)) {
        await this.emitter.emitAsync(row.type, row.payload);
        this.emitted.add(row.id);
      }
      if (this.options.shippingWebhookUrl) {
        await postDomainEvent(
          this.options.shippingWebhookUrl,
          { eventId: row.eventId, type: row.type, payload: row.payload },
          this.options.acquirerTimeoutMs,
        );
      }
      return true;
    } catch (err) {
      const failures = row.attempts + 1;
      const delay = deliveryBackoffMs(failures);
      const message = (err as Error).message;
      this.log.warn(
        `event ${row.eventId} (${row.type}) not delivered, attempt ${failures}: ${message}; retry in ${delay} ms`,
      );
      await this.store.markFailed(row.id, failures, new Date(this.clock.now().getTime() + delay), message);
      return false;
    }
  }

  /** Wake up when the earliest pending row is due, instead of waiting for the next sweep. */
  private wakeAt(at: Date): void {
    clearTimeout(this.wake);
    const delay = Math.max(0, at.getTime() - this.clock.now().getTime());
    if (this.stopped || delay >= this.sweepMs) return;
    this.wake = setTimeout(() => this.kick(), delay + 5);
    this.wake.unref();
  }

  private get sweepMs(): number {
    return Math.max(this.options.schedulerIntervalMs, 100);
  }
}
