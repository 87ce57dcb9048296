import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from '../options/capture-options';
import type { ApplyResult, EventSource } from '../capture-result';
import { OrderEventApplier } from '../order-event-applier';
import type { CaptureEvent, CaptureStateName } from '../machine/capture-types';
import { isOpenState } from '../schedule/next-check';
import { CaptureAttemptEntity, OrderEntity } from '../persistence/entities';
import { UnitOfWork } from '../persistence/unit-of-work';
import {
  ACQUIRER_CLIENTS,
  type AcquirerClients,
  type CallStatus,
  type CaptureRecord,
  type InquiryResult,
} from '../ports/acquirer-port';
import { acquirerAnswerEvent } from './acquirer-answer';
import { AttemptLedger } from './attempt-ledger';
import { CaptureExecutor, type SendMode } from './capture-executor';
import { nextInquiryAt } from '../schedule/inquiry-schedule';
import { CLOCK, type Clock } from '../ports/clock';

interface ReconciledCapture {
  captureRequestId: string;
  status: CallStatus;
  /** What applying it did; `skipped` when the acquirer's record cannot become an event. */
  result: ApplyResult['kind'] | 'skipped';
  reason?: string;
}

export interface ReconciliationSummary {
  orderId: string;
  /** unsupported: the acquirer documents no query (PayerMax), nothing to learn. */
  outcome: 'notFound' | 'inquired' | 'unsupported' | 'inquiryFailed';
  state?: CaptureStateName;
  paymentStatus?: string;
  captures: ReconciledCapture[];
  /** Attempts of ours the acquirer did not know, sent now (first) or again (resend, same id). */
  sent: { captureRequestId: string; mode: SendMode; status?: CallStatus }[];
  /** Our attempts still pending afterwards. */
  pending: number;
  /** The acquirer reports a capture still in process. */
  inProcess: boolean;
  error?: string;
}

/**
 * Asks the acquirer what happened to a payment's captures and applies what it says: the
 * acquirer is the truth for money. Each CAPTURE transaction (transactionRequestId = our
 * captureRequestId, or one we never sent) becomes CAPTURE_SUCCEEDED / FAILED / PENDING through
 * the OrderEventApplier. An attempt the acquirer does not know is sent: for the first time when
 * it never was (a crash between commit and call), again with the same id otherwise. Where the
 * acquirer cannot be asked (PayerMax), sending the same id again is the only way to learn what
 * became of a capture with no definite answer, so it is resent on the inquiry schedule.
 */
@Injectable()
export class ReconciliationService {
  private readonly log = new Logger(ReconciliationService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly capture: OrderEventApplier,
    private readonly executor: CaptureExecutor,
    private readonly ledger: AttemptLedger,
    @Inject(CAPTURE_OPTIONS) private readonly options: CaptureModuleOptions,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(ACQUIRER_CLIENTS) private readonly clients?: AcquirerClients,
  ) {}

  async reconcileOrder(
    orderId: string,
    source: EventSource,
    now: Date = this.clock.now(),
  ): Promise<ReconciliationSummary> {
    const order = await this.uow.dataSource.getRepository(OrderEntity).findOne({ where: { id: orderId } });
    if (!order) return { ...emptySummary(orderId), outcome: 'notFound' };
    return this.reconcile(order, source, now);
  }

  /**
   * For a caller that has just read the order (the scheduler's claim). Its snapshot tells which
   * attempts of ours were pending before the question; the rest is read under the row lock.
   */
  async reconcile(order: OrderEntity, source: EventSource, now: Date = this.clock.now()) {
    const orderId = order.id;
    const summary = emptySummary(orderId);
    // Only attempts that existed before the question can be judged by its answer.
    const before = pendingIds(order);
    const client = this.clients?.[order.acquirer];
    let inquiry: InquiryResult | null = null;
    try {
      if (client && order.paymentId !== null) {
        inquiry = await client.inquire({
          paymentId: order.paymentId,
          paymentRequestId: order.paymentRequestId,
        });
      }
    } catch (err) {
      summary.outcome = 'inquiryFailed';
      summary.error = (err as Error).message;
      this.log.warn(`inquiry for order ${orderId} failed: ${summary.error}`);
    }
    if (summary.outcome !== 'inquiryFailed') summary.outcome = inquiry ? 'inquired' : 'unsupported';
    summary.paymentStatus = inquiry?.paymentStatus;
    const records = inquiry?.captures ?? [];
    summary.inProcess = records.some((r) => r.status === 'U');
    summary.state = order.state;
    // Nothing reported and nothing of ours pending: no transaction to open.
    if (records.length === 0 && before.size === 0) return summary;

    // Orders of a tick are asked together and answered together: their transactions are shared
    // (group commit), so this work may run twice (alone after a failed group) and keeps its
    // results to itself until it has committed.
    const after = await this.uow.grouped(orderId, async (em) => {
      let locked = await this.capture.lock(em, orderId);
      if (!locked) return null;
      const captures: ReconciledCapture[] = [];
      for (const record of records) {
        const event = toEvent(record, locked, now);
        if (!event) {
          captures.push({ ...brief(record), result: 'skipped', reason: 'the acquirer gave no amount' });
          continue;
        }
        const r = await this.capture.applyToLocked(em, locked, event, source, now);
        // Still locked: the next record starts from the order as this one left it.
        if (r.kind === 'applied') locked = r.order;
        captures.push({ ...brief(record), result: r.kind, ...('reason' in r ? { reason: r.reason } : {}) });
      }
      const pending = await this.reschedule(em, locked, summary.outcome, now);
      return { order: locked, pending, captures };
    });
    if (!after) return summary;
    summary.captures = after.captures;
    summary.state = after.order.state;
    summary.pending = after.pending.length;

    const unknown = after.pending.filter((a) => before.has(a.captureRequestId));
    if (await this.sendUnknown(after.order, unknown, inquiry, summary, now)) {
      // The answers to what was sent moved the order on: read how it stands now.
      const current = await this.uow.dataSource
        .getRepository(OrderEntity)
        .findOneOrFail({ where: { id: orderId } });
      summary.state = current.state;
      summary.pending = (await this.ledger.pendingOf(orderId)).length;
    }
    return summary;
  }

  /** Counts the inquiry on every attempt still pending and sets the next one; returns them. */
  private async reschedule(
    em: EntityManager,
    order: OrderEntity,
    outcome: ReconciliationSummary['outcome'],
    now: Date,
  ): Promise<CaptureAttemptEntity[]> {
    // The snapshot, read under this lock, mirrors capture_attempts: none pending, none to read.
    if (pendingIds(order, { oursOnly: false }).size === 0) return [];
    const pending = await this.ledger.pendingOf(order.id, em);
    for (const attempt of pending) {
      // Nothing more to learn: the order is final, or the acquirer can neither be asked nor sent
      // the capture (its own, on an AUTOMATIC order), which then waits for its notification.
      const stop = !isOpenState(order.state) || (outcome === 'unsupported' && attempt.origin !== 'merchant');
      const next = stop
        ? null
        : nextInquiryAt(now, attempt.inquiryCount + 1, order.captureDeadline, this.options.inquiryBackoffMs);
      await this.ledger.inquired(em, attempt, next, now);
    }
    return pending;
  }

  /** A call made this long ago has ended, whatever the network did (timeouts and repeats included). */
  private surelyOver(attempt: CaptureAttemptEntity, now: Date): boolean {
    const settleMs = this.options.acquirerTimeoutMs * 4;
    return attempt.calledAt !== null && now.getTime() - attempt.calledAt.getTime() >= settleMs;
  }

  /**
   * Our pending attempts the acquirer did not report (or, with no query, every one): send them.
   * A first call is never made at or after the deadline (it would be a new capture); a resend
   * of the same id may be, to learn what became of it. `order` and `pending` are as the
   * reconciling transaction committed them. True when anything was sent.
   */
  private async sendUnknown(
    order: OrderEntity,
    pending: CaptureAttemptEntity[],
    inquiry: InquiryResult | null,
    summary: ReconciliationSummary,
    now: Date,
  ): Promise<boolean> {
    if (summary.outcome === 'inquiryFailed' || pending.length === 0 || !isOpenState(order.state))
      return false;
    const pastDeadline = now.getTime() >= order.captureDeadline.getTime();
    const reported = new Set((inquiry?.captures ?? []).map((c) => c.captureRequestId));
    let sent = false;
    for (const attempt of pending) {
      if (attempt.origin !== 'merchant' || reported.has(attempt.captureRequestId)) continue;
      const mode: SendMode = attempt.calledAt === null ? 'first' : 'resend';
      if (mode === 'first' && pastDeadline) continue;
      // A call is repeated only once it must have ended (the client's own repeats included),
      // never while another instance may still be making it.
      if (mode === 'resend' && !this.surelyOver(attempt, now)) continue;
      const out = await this.executor.send(
        order,
        {
          captureRequestId: attempt.captureRequestId,
          amount: { currency: attempt.currency, value: attempt.amount },
          isLast: attempt.isLast,
        },
        mode,
        now,
      );
      sent = true;
      if (out.kind === 'answered') {
        summary.sent.push({ captureRequestId: attempt.captureRequestId, mode, status: out.call.status });
      }
    }
    return sent;
  }
}

function emptySummary(orderId: string): ReconciliationSummary {
  return { orderId, outcome: 'inquired', captures: [], sent: [], pending: 0, inProcess: false };
}

/** The attempts (by default only ours) the snapshot holds as pending; it mirrors capture_attempts. */
function pendingIds(order: OrderEntity, { oursOnly = true } = {}): Set<string> {
  const attempts = Object.entries(order.snapshot.context.attempts);
  const pending = attempts.filter(([, a]) => a.status === 'pending' && (a.ours || !oursOnly));
  return new Set(pending.map(([id]) => id));
}

function brief(record: CaptureRecord): Pick<ReconciledCapture, 'captureRequestId' | 'status'> {
  return { captureRequestId: record.captureRequestId, status: record.status };
}

/** A CAPTURE transaction the acquirer reported, as an event; an attempt we know knows its amount. */
function toEvent(record: CaptureRecord, order: OrderEntity, now: Date): CaptureEvent | null {
  const attempts = order.snapshot.context.attempts;
  // An id is acquirer input: "constructor" or "__proto__" must not find Object.prototype.
  const known = Object.hasOwn(attempts, record.captureRequestId)
    ? attempts[record.captureRequestId]
    : undefined;
  const amount = known ? { currency: order.currency, value: known.amount } : undefined;
  return acquirerAnswerEvent(record.captureRequestId, record, now.toISOString(), amount);
}
