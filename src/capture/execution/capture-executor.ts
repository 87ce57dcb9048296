import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from '../options/capture-options';
import type { ApplyResult } from '../capture-result';
import { OrderEventApplier } from '../order-event-applier';
import type { Money } from '../machine/capture-types';
import type { OrderEntity } from '../persistence/entities';
import { UnitOfWork } from '../persistence/unit-of-work';
import {
  ACQUIRER_CLIENTS,
  NOT_DELIVERED,
  type AcquirerClient,
  type AcquirerClients,
  type CaptureCallResult,
} from '../ports/acquirer-port';
import { acquirerAnswerEvent } from './acquirer-answer';
import { AttemptLedger } from './attempt-ledger';
import { nextInquiryAt } from '../schedule/inquiry-schedule';
import { CLOCK, type Clock } from '../ports/clock';

export interface OutboundCapture {
  captureRequestId: string;
  amount: Money;
  isLast: boolean;
}

/**
 * Immediate resends of a call that provably never reached the acquirer (NOT_DELIVERED): nothing
 * can have been captured, so waiting a backoff would only lose time. Bounded, since an acquirer
 * that refuses connections now will likely refuse them for a while.
 */
export const IMMEDIATE_RESENDS = 2;

/** first: the attempt was never sent (only one caller wins it); resend: the same id again. */
export type SendMode = 'first' | 'resend';

export type SendOutcome =
  { kind: 'skipped'; reason: string } | { kind: 'answered'; call: CaptureCallResult; result: ApplyResult };

/**
 * Runs what the machine asked for, after the commit that asked for it: `callCapture` calls the
 * acquirer and applies its answer (S: CAPTURE_SUCCEEDED, F: CAPTURE_FAILED, U or no answer:
 * CAPTURE_PENDING with its next check scheduled: an inquiry where the acquirer can be asked, a
 * resend of the same captureRequestId where it cannot); `resendCapture` sends a pending attempt
 * again under its own id; `voidAuthorization` cancels the payment.
 *
 * Calls run in the background so that whoever committed (an operator's request) is answered at
 * once; `whenIdle()` waits for them (the scheduler between batches, shutdown, tests).
 */
@Injectable()
export class CaptureExecutor implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger(CaptureExecutor.name);
  /** Background calls, by the order they are for. */
  private readonly inFlight = new Map<Promise<unknown>, string>();

  constructor(
    private readonly capture: OrderEventApplier,
    private readonly uow: UnitOfWork,
    private readonly ledger: AttemptLedger,
    @Inject(CAPTURE_OPTIONS) private readonly options: CaptureModuleOptions,
    @Inject(CLOCK) private readonly clock: Clock,
    @Optional() @Inject(ACQUIRER_CLIENTS) private readonly clients?: AcquirerClients,
  ) {}

  onModuleInit(): void {
    this.capture.onCommitted((applied) => {
      const calls = ['callCapture', 'resendCapture', 'voidAuthorization'];
      if (applied.effects.some((e) => calls.includes(e.type))) {
        this.track(applied.orderId, this.runEffects(applied));
      }
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.whenIdle();
  }

  /**
   * Resolves once no background call is running (including ones started meanwhile); with
   * `orderIds`, only the calls for those orders count.
   */
  async whenIdle(orderIds?: Iterable<string>): Promise<void> {
    const only = orderIds ? new Set(orderIds) : null;
    for (;;) {
      const running = [...this.inFlight].filter(([, id]) => !only || only.has(id)).map(([p]) => p);
      if (running.length === 0) return;
      await Promise.allSettled(running);
    }
  }

  /**
   * Calls the acquirer for one committed attempt and applies the answer. A first send is made
   * by one caller only (claimed on capture_attempts.called_at before the call); a resend repeats
   * the same captureRequestId, which the acquirer captures at most once.
   */
  async send(
    order: OrderEntity,
    call: OutboundCapture,
    mode: SendMode,
    now: Date = this.clock.now(),
    calledAt: Date = this.clock.now(),
  ): Promise<SendOutcome> {
    const client = this.clientFor(order);
    if (!client) return { kind: 'skipped', reason: `no ${order.acquirer} client is configured` };
    if (!order.paymentId) return { kind: 'skipped', reason: 'the order has no paymentId' };
    // The call's own time, not the tick's: other instances judge from called_at whether a call
    // can still be in flight, and a long tick must not make a fresh call look old.
    const claimed = await this.ledger.claimFirstCall(call.captureRequestId, calledAt);
    if (mode === 'first' && !claimed) return { kind: 'skipped', reason: 'already sent' };
    let answer = await this.callCapture(client, order.paymentId, call);
    for (let n = 1; n <= IMMEDIATE_RESENDS && answer.resultCode === NOT_DELIVERED; n++) {
      this.log.warn(
        `capture ${call.captureRequestId} did not reach ${order.acquirer}; sent again (${n}/${IMMEDIATE_RESENDS})`,
      );
      answer = await this.callCapture(client, order.paymentId, call);
    }
    const result = await this.applyAnswer(order, call, answer, now);
    return { kind: 'answered', call: answer, result };
  }

  private async runEffects(applied: Extract<ApplyResult, { kind: 'applied' }>): Promise<void> {
    for (const effect of applied.effects) {
      if (effect.type === 'callCapture' || effect.type === 'resendCapture') {
        const { captureRequestId, amount, isLast } = effect;
        const mode = effect.type === 'callCapture' ? 'first' : 'resend';
        await this.send(applied.order, { captureRequestId, amount, isLast }, mode, applied.at);
      } else if (effect.type === 'voidAuthorization') {
        await this.voidAuthorization(applied.order);
      }
    }
  }

  private async callCapture(
    client: AcquirerClient,
    paymentId: string,
    call: OutboundCapture,
  ): Promise<CaptureCallResult> {
    try {
      return await client.capture({ paymentId, ...call });
    } catch (err) {
      // The port promises U instead of throwing; an adapter bug must not lose the attempt either.
      this.log.error(`capture ${call.captureRequestId} threw: ${(err as Error).message}`);
      return { status: 'U', resultCode: 'CLIENT_ERROR' };
    }
  }

  private async applyAnswer(
    order: OrderEntity,
    call: OutboundCapture,
    answer: CaptureCallResult,
    now: Date,
  ): Promise<ApplyResult> {
    const at = now.toISOString();
    const id = call.captureRequestId;
    const source = `capture:${order.acquirer}`;
    // call.amount is what we asked for: the event is never null.
    const event = acquirerAnswerEvent(id, answer, at, call.amount)!;
    // Answers to calls sent together come back together: their transactions are shared.
    if (answer.status !== 'U') {
      return this.uow.grouped(order.id, (em) => this.capture.applyWithin(em, order.id, event, source, now));
    }
    return this.uow.grouped(order.id, async (em) => {
      const r = await this.capture.applyWithin(em, order.id, event, source, now);
      // The next check continues the attempt's backoff (an inquiry, or a resend where the
      // acquirer cannot be asked), never past the deadline.
      const checks = await this.ledger.checksMade(em, id);
      const next = nextInquiryAt(now, checks, order.captureDeadline, this.options.inquiryBackoffMs);
      await this.ledger.markInProcess(em, id, next, now, {
        code: answer.resultCode,
        message: answer.resultMessage,
      });
      return r;
    });
  }

  private async voidAuthorization(order: OrderEntity): Promise<void> {
    const client = this.clientFor(order);
    if (!client) return;
    const requestId = `cx_${randomUUID().replace(/-/g, '')}`;
    let status: string;
    let code: string | undefined;
    try {
      const r = await client.cancel(
        { paymentId: order.paymentId, paymentRequestId: order.paymentRequestId },
        requestId,
      );
      status = r.status;
      code = r.resultCode;
    } catch (err) {
      status = 'U';
      code = (err as Error).message;
    }
    if (status === 'S') return;
    // The order is cancelled on our side either way; an authorization left standing lapses by
    // itself at the deadline, but a refused void is worth a human's look.
    this.log.warn(`void of order ${order.id} answered ${status} ${code ?? ''}`);
    if (status === 'F') {
      await this.capture.apply(
        order.id,
        {
          type: 'REVIEW_FLAGGED',
          reason: `void refused by the acquirer: ${code ?? 'no code'}`,
          at: this.clock.now().toISOString(),
        },
        `cancel:${order.acquirer}`,
      );
    }
  }

  private clientFor(order: OrderEntity): AcquirerClient | undefined {
    const client = this.clients?.[order.acquirer];
    if (!client) this.log.warn(`no acquirer client for ${order.acquirer}; order ${order.id} waits`);
    return client;
  }

  private track(orderId: string, work: Promise<unknown>): void {
    const p = work.catch((err: unknown) => this.log.error(`acquirer call failed: ${(err as Error).message}`));
    this.inFlight.set(p, orderId);
    void p.finally(() => this.inFlight.delete(p));
  }
}
