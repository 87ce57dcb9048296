import { Inject, Injectable } from '@nestjs/common';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from '../capture/options/capture-options';
import type { ApplyResult } from '../capture/capture-result';
import type { CaptureEvent } from '../capture/machine/capture-types';
import { OrderEventApplier } from '../capture/order-event-applier';
import { AttemptLedger } from '../capture/execution/attempt-ledger';
import { CaptureRequestService } from '../capture/execution/capture-request.service';
import { ReconciliationService } from '../capture/execution/reconciliation.service';
import { retryDueAt, retryPlan } from '../capture/schedule/retry-policy';
import { INQUIRABLE, isOpenState } from '../capture/schedule/next-check';
import { OrderEntity } from '../capture/persistence/entities';
import { UnitOfWork } from '../capture/persistence/unit-of-work';

const HOUR = 3_600_000;

/** What the scheduler did for one order in one tick. */
export type DueAction =
  | 'capture'
  | 'retry'
  | 'warning'
  | 'automaticInquiry'
  | 'deadlineInquiry'
  | 'deadlinePostponed'
  | 'expired'
  | 'deadlineReview';

/**
 * The work an order can have due, in order: the deadline (ask the acquirer first, then expire),
 * the deadline warning, a MANUAL order's scheduled capture or retry, an AUTOMATIC order's
 * inquiry after its grace period. Each step goes through the same services an operator uses.
 */
@Injectable()
export class DueOrderProcessor {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly capture: OrderEventApplier,
    private readonly requests: CaptureRequestService,
    private readonly reconciliation: ReconciliationService,
    private readonly ledger: AttemptLedger,
    @Inject(CAPTURE_OPTIONS) private readonly options: CaptureModuleOptions,
  ) {}

  /**
   * `claimed`: the order as its claim read it. It may be stale by now; whatever it leads to is
   * applied by the machine under the row lock, which refuses what no longer fits.
   */
  async process(claimed: OrderEntity, now: Date): Promise<DueAction[]> {
    let order = claimed;
    if (!isOpenState(order.state)) return [];
    if (now.getTime() >= order.captureDeadline.getTime()) return this.deadline(order, now);

    const actions: DueAction[] = [];
    const at = now.toISOString();
    const warnAt = order.captureDeadline.getTime() - this.options.deadlineWarningHours * HOUR;
    if (!order.snapshot.context.deadlineWarned && now.getTime() >= warnAt) {
      const warning: CaptureEvent = { type: 'DEADLINE_WARNING', at };
      const r = await this.apply(order.id, warning, now);
      if (r.kind === 'applied') actions.push('warning');
      // Applied: the order as the transition left it; refused: someone changed it, read it again.
      const current = r.kind === 'applied' ? r.order : await this.load(order.id);
      if (!current) return actions;
      order = current;
    }

    if (order.captureMode === 'MANUAL') {
      if (order.state === 'authorized' && order.captureAt && order.captureAt.getTime() <= now.getTime()) {
        const { result } = await this.requests.requestCaptureOf(order, {}, 'scheduler', now);
        if (result.kind === 'applied') actions.push('capture');
      } else {
        const due = retryDueAt(order, this.options);
        const plan = retryPlan(order.snapshot.context, this.options.captureRetryMax);
        if (due && due.getTime() <= now.getTime() && plan.kind === 'retry') {
          const { result } = await this.requests.requestCaptureOf(
            order,
            { amount: plan.amount, isLast: plan.isLast },
            'scheduler:retry',
            now,
          );
          if (result.kind === 'applied') actions.push('retry');
        }
      }
    } else if (order.state === 'authorized' && INQUIRABLE.includes(order.acquirer)) {
      const graceEnd = order.authorizedAt.getTime() + this.options.automaticCaptureGraceMs;
      if (now.getTime() >= graceEnd) {
        await this.reconciliation.reconcile(order, 'scheduler:inquiry', now);
        actions.push('automaticInquiry');
      }
    }
    return actions;
  }

  /**
   * At the deadline the acquirer is asked first; the order expires only if no capture turned
   * up. While the inquiry fails, or a capture is still in process, expiry waits (at most one
   * longest inquiry delay past the deadline; a success after that still reaches captured). A
   * capture of ours still without a definite answer then does not lapse: the order waits for
   * it under review (deadlineReview), once.
   */
  private async deadline(order: OrderEntity, now: Date): Promise<DueAction[]> {
    const actions: DueAction[] = [];
    const summary = await this.reconciliation.reconcile(order, 'scheduler:deadline', now);
    if (summary.outcome === 'inquired' || summary.outcome === 'inquiryFailed')
      actions.push('deadlineInquiry');
    // The state as the inquiry left it; a change since is caught by the machine under its lock.
    if (!summary.state || !isOpenState(summary.state)) return actions;
    const waitUntil = order.captureDeadline.getTime() + Math.max(...this.options.inquiryBackoffMs);
    const unsure = summary.outcome === 'inquiryFailed' || summary.inProcess;
    if (unsure && now.getTime() < waitUntil) return [...actions, 'deadlinePostponed'];
    const r = await this.apply(order.id, { type: 'DEADLINE_REACHED', at: now.toISOString() }, now);
    if (r.kind === 'applied') {
      actions.push(isOpenState(r.to) ? 'deadlineReview' : 'expired');
      // The acquirer was asked just now; a late success still arrives by notification. The
      // snapshot (read under the lock) mirrors capture_attempts: nothing pending, nothing to stop.
      const attempts = Object.values(r.order.snapshot.context.attempts);
      if (attempts.some((a) => a.status === 'pending')) await this.ledger.stopInquiries(order.id, now);
    }
    return actions;
  }

  /** Orders come due together (a tick's claim): their transactions are shared (group commit). */
  private apply(orderId: string, event: CaptureEvent, now: Date): Promise<ApplyResult> {
    return this.uow.grouped(orderId, (em) => this.capture.applyWithin(em, orderId, event, 'scheduler', now));
  }

  private load(orderId: string): Promise<OrderEntity | null> {
    return this.uow.dataSource.getRepository(OrderEntity).findOne({ where: { id: orderId } });
  }
}
