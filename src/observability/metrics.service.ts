import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CaptureStateName } from '../capture/machine/capture-types';
import { DatabaseGauges } from './database-gauges';
import { acquirerEventTime } from './notification-time';

const P = 'order_capture_';

/** Seconds, from a tenth of a second to the 7-day authorization lifetime. */
const DURATION_BUCKETS = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 6 * 3600, 86400, 7 * 86400];
const LAG_BUCKETS = [0.5, 1, 5, 15, 60, 300, 900, 3600, 6 * 3600, 86400];
const BATCH_BUCKETS = [0, 1, 5, 10, 25, 50, 100, 250, 500, 1000];
const JOB_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60];

/**
 * Label values come from outside (a notification's notifyType, an acquirer's result code):
 * anything that does not look like one of those becomes "other", so that a hostile sender
 * cannot create unbounded series.
 */
function labelValue(value: string | null | undefined, fallback = 'none'): string {
  if (value === null || value === undefined || value === '') return fallback;
  return /^[A-Za-z0-9_.:-]{1,48}$/.test(value) ? value : 'other';
}

/** How a webhook answered (src/webhooks' WebhookCount), and what that means for the counters. */
const WEBHOOK_ANSWERS: Record<string, { verified: boolean; duplicate?: true; rejected?: string }> = {
  acknowledged: { verified: true },
  redelivered: { verified: true, duplicate: true },
  invalid: { verified: true, rejected: 'invalid' },
  unauthorized: { verified: false, rejected: 'signature' },
  unsupportedMediaType: { verified: false, rejected: 'media_type' },
  unavailable: { verified: true, rejected: 'unavailable' },
};

export interface WebhookAnswerDetail {
  /** The notifyType, once the signature verified (an unverified body's word is not taken). */
  notifyType?: string | null;
  /** The parsed body of a notification acknowledged for the first time: its event time gives the lag. */
  body?: unknown;
  receivedAt?: Date;
}

/**
 * The service's Prometheus metrics, in a registry of its own (never prom-client's global one,
 * so that several apps in one process do not collide). Counters and histograms move as things
 * happen, through the typed helpers below; the gauges about orders and the outbox are read
 * from the database when scraped (database-gauges.ts).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  private readonly received = this.counter(
    'notifications_received_total',
    'Notifications received, before any check',
    ['acquirer', 'type'],
  );
  private readonly verified = this.counter(
    'notifications_verified_total',
    'Notifications whose signature verified',
    ['acquirer', 'type'],
  );
  private readonly rejected = this.counter(
    'notifications_rejected_total',
    'Notifications refused (bad signature, invalid body, database down)',
    ['acquirer', 'type', 'reason'],
  );
  private readonly duplicates = this.counter(
    'notifications_duplicate_total',
    'Notifications already received (same dedupe key)',
    ['acquirer', 'type'],
  );
  private readonly lag = new Histogram({
    name: `${P}notification_lag_seconds`,
    help: 'Time from the event at the acquirer (captureTime, notifyTime) to its notification reaching us',
    labelNames: ['acquirer', 'type'],
    buckets: LAG_BUCKETS,
    registers: [this.registry],
  });
  private readonly transitions = this.counter('transitions_total', 'Committed state transitions of orders', [
    'from',
    'to',
  ]);
  private readonly attempts = this.counter(
    'capture_attempts_total',
    'Capture attempts resolved, by outcome and acquirer result code',
    ['acquirer', 'outcome', 'result_code'],
  );
  private readonly captureDuration = new Histogram({
    name: `${P}capture_duration_seconds`,
    help: 'Time from a capture request to its final result (our own requests only)',
    labelNames: ['acquirer', 'outcome'],
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  private readonly unverifiedReplies = this.counter(
    'acquirer_responses_unverified_total',
    'Acquirer responses taken as unknown (U) for want of a valid signature (reason: missing or invalid)',
    ['acquirer', 'reason'],
  );
  private readonly batchSize = new Histogram({
    name: `${P}scheduler_batch_size`,
    help: 'Orders claimed by one scheduler batch',
    labelNames: ['job'],
    buckets: BATCH_BUCKETS,
    registers: [this.registry],
  });
  private readonly batchDuration = new Histogram({
    name: `${P}scheduler_batch_duration_seconds`,
    help: 'Time one scheduler batch took, claim to last order done',
    labelNames: ['job'],
    buckets: JOB_BUCKETS,
    registers: [this.registry],
  });

  constructor(private readonly gauges: DatabaseGauges) {
    collectDefaultMetrics({ register: this.registry });
    gauges.register(this.registry, P);
  }

  /** One call per webhook answer: received, verified, duplicate or rejected, and the lag. */
  webhookAnswered(acquirer: string, kind: string, detail: WebhookAnswerDetail = {}): void {
    const meaning = WEBHOOK_ANSWERS[kind] ?? { verified: false, rejected: kind };
    const type = meaning.verified ? detail.notifyType : null;
    this.notificationReceived(acquirer, type);
    if (meaning.verified) this.notificationVerified(acquirer, type);
    if (meaning.duplicate) this.notificationDuplicate(acquirer, type);
    if (meaning.rejected) this.notificationRejected(acquirer, type, meaning.rejected);
    if (kind === 'acknowledged' && detail.body !== undefined) {
      this.notificationLag(acquirer, type, acquirerEventTime(detail.body), detail.receivedAt);
    }
  }

  notificationReceived(acquirer: string, type?: string | null): void {
    this.received.inc({ acquirer: labelValue(acquirer), type: labelValue(type, 'unknown') });
  }

  notificationVerified(acquirer: string, type?: string | null): void {
    this.verified.inc({ acquirer: labelValue(acquirer), type: labelValue(type, 'unknown') });
  }

  /** reason: a short word, e.g. signature, invalid, unavailable. */
  notificationRejected(acquirer: string, type: string | null | undefined, reason: string): void {
    this.rejected.inc({
      acquirer: labelValue(acquirer),
      type: labelValue(type, 'unknown'),
      reason: labelValue(reason),
    });
  }

  notificationDuplicate(acquirer: string, type?: string | null): void {
    this.duplicates.inc({ acquirer: labelValue(acquirer), type: labelValue(type, 'unknown') });
  }

  /** The acquirer's own time of the event (ISO 8601 or Date); ignored when absent or unparsable. */
  notificationLag(
    acquirer: string,
    type: string | null | undefined,
    eventTime: string | Date | undefined | null,
    receivedAt = new Date(),
  ): void {
    if (!eventTime) return;
    const at = eventTime instanceof Date ? eventTime.getTime() : Date.parse(eventTime);
    if (Number.isNaN(at)) return;
    const seconds = Math.max(0, (receivedAt.getTime() - at) / 1000);
    this.lag.observe({ acquirer: labelValue(acquirer), type: labelValue(type, 'unknown') }, seconds);
  }

  transition(from: CaptureStateName, to: CaptureStateName): void {
    this.transitions.inc({ from, to });
  }

  /** seconds: from our request to this result; null for a capture we did not request. */
  captureResolved(
    acquirer: string,
    outcome: 'succeeded' | 'failed',
    resultCode: string | null,
    seconds: number | null,
  ): void {
    this.attempts.inc({ acquirer: labelValue(acquirer), outcome, result_code: labelValue(resultCode) });
    if (seconds !== null)
      this.captureDuration.observe({ acquirer: labelValue(acquirer), outcome }, Math.max(0, seconds));
  }

  /** An acquirer's response that was not believed: unsigned (missing) or badly signed (invalid). */
  acquirerResponseUnverified(acquirer: string, reason: 'missing' | 'invalid'): void {
    this.unverifiedReplies.inc({ acquirer: labelValue(acquirer), reason });
  }

  schedulerBatch(job: string, size: number, seconds: number): void {
    this.batchSize.observe({ job: labelValue(job) }, size);
    this.batchDuration.observe({ job: labelValue(job) }, seconds);
  }

  /** Runs one scheduler batch and records its size (what `sizeOf` says of the result) and duration. */
  async timeBatch<T>(job: string, run: () => Promise<T>, sizeOf: (result: T) => number): Promise<T> {
    const started = performance.now();
    const result = await run();
    this.schedulerBatch(job, sizeOf(result), (performance.now() - started) / 1000);
    return result;
  }

  /** The exposition text; the database gauges are read now, one grouped query each. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    await this.gauges.refresh();
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter({ name: `${P}${name}`, help, labelNames, registers: [this.registry] });
  }
}
