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
    const summary: ReconciliationSummary = {
      orderId,
      outcome: 'notFound',
      captures: [],
      sent: [],
      pending: 0,
      inProcess: false,
    };
    if (!order) return summary;
    // Only attempts that existed before the question can be judged by its answer.
    const before = await this.ledger.pendingOf(orderId);
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

    await this.uow.run(async (em) => {
      for (const record of inquiry?.captures ?? []) {
        const known = await em.getRepository(CaptureAttemptEntity).findOne({
          where: { captureRequestId: record.captureRequestId, orderId },
        });
        const event = toEvent(record, known, now);
        if (record.status === 'U') summary.inProcess = true;
        if (!event) {
          summary.captures.push({
            ...brief(record),
            result: 'skipped',
            reason: 'the acquirer gave no amount',
          });
          continue;
        }
        const r = await this.capture.applyWithin(em, orderId, event, source, now);
        summary.captures.push({
          ...brief(record),
          result: r.kind,
          ...('reason' in r ? { reason: r.reason } : {}),
        });
      }
      await this.reschedule(em, orderId, summary.outcome, now);
    });

    await this.sendUnknown(orderId, before, inquiry, summary, now);
    const after = await this.uow.dataSource
      .getRepository(OrderEntity)
      .findOneOrFail({ where: { id: orderId } });
    summary.state = after.state;
    summary.pending = (await this.ledger.pendingOf(orderId)).length;
    return summary;
  }

  /** Counts the inquiry on every attempt still pending and sets the next one. */
  private async reschedule(
    em: EntityManager,
    orderId: string,
    outcome: ReconciliationSummary['outcome'],
    now: Date,
  ): Promise<void> {
    const pending = await this.ledger.pendingOf(orderId, em);
    if (pending.length === 0) return;
    const order = await em.getRepository(OrderEntity).findOneOrFail({ where: { id: orderId } });
    for (const attempt of pending) {
      // Nothing more to learn: the order is final, or the acquirer can neither be asked nor sent
      // the capture (its own, on an AUTOMATIC order), which then waits for its notification.
      const stop = !isOpenState(order.state) || (outcome === 'unsupported' && attempt.origin !== 'merchant');
      const next = stop
        ? null
        : nextInquiryAt(now, attempt.inquiryCount + 1, order.captureDeadline, this.options.inquiryBackoffMs);
      await this.ledger.inquired(em, attempt, next, now);
    }
  }

  /** A call made this long ago has ended, whatever the network did (timeouts and repeats included). */
  private surelyOver(attempt: CaptureAttemptEntity, now: Date): boolean {
    const settleMs = this.options.acquirerTimeoutMs * 4;
    return attempt.calledAt !== null && now.getTime() - attempt.calledAt.getTime() >= settleMs;
  }

  /**
   * Our pending attempts the acquirer did not report (or, with no query, every one): send them.
   * A first call is never made at or after the deadline (it would be a new capture); a resend
   * of the same id may be, to learn what became of it.
   */
  private async sendUnknown(
    orderId: string,
    before: CaptureAttemptEntity[],
    inquiry: InquiryResult | null,
    summary: ReconciliationSummary,
    now: Date,
  ): Promise<void> {
    // Nothing of ours was pending before the question: nothing to send (and no reads for it).
    if (summary.outcome === 'inquiryFailed' || before.length === 0) return;
    const order = await this.uow.dataSource
      .getRepository(OrderEntity)
      .findOneOrFail({ where: { id: orderId } });
    if (!isOpenState(order.state)) return;
    const pastDeadline = now.getTime() >= order.captureDeadline.getTime();
    const reported = new Set((inquiry?.captures ?? []).map((c) => c.captureRequestId));
    const stillPending = new Set((await this.ledger.pendingOf(orderId)).map((a) => a.captureRequestId));
    for (const attempt of before) {
      if (!stillPending.has(attempt.captureRequestId)) continue;
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
      if (out.kind === 'answered') {
        summary.sent.push({ captureRequestId: attempt.captureRequestId, mode, status: out.call.status });
      }
    }
  }
}

function brief(record: CaptureRecord): Pick<ReconciledCapture, 'captureRequestId' | 'status'> {
  return { captureRequestId: record.captureRequestId, status: record.status };
}

/** A CAPTURE transaction the acquirer reported, as an event; an attempt of ours knows its amount. */
function toEvent(record: CaptureRecord, known: CaptureAttemptEntity | null, now: Date): CaptureEvent | null {
  const amount = known ? { currency: known.currency, value: known.amount } : undefined;
  return acquirerAnswerEvent(record.captureRequestId, record, now.toISOString(), amount);
}
