/**
 * Applies one stored notification to its order, inside the caller's transaction: the order is
 * locked first, the plan is computed from what is locked, every event goes through
 * OrderEventApplier.applyToLocked (which sets every order column), and the notification row gets
 * its outcome. Shared by the inbox (live deliveries) and the orphan replay, so both apply
 * exactly the same way.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from '../capture/options/capture-options';
import type { ApplyResult, EventSource } from '../capture/capture-result';
import { OrderEventApplier, type Applied } from '../capture/order-event-applier';
import type { CaptureEvent } from '../capture/machine/capture-types';
import type { NotificationOutcome, OrderEntity } from '../capture/persistence/entities';
import type { SqlBatch } from '../capture/persistence/sql-batch';
import { UnitOfWork } from '../capture/persistence/unit-of-work';
import { reviewFlag, type InboundNotification, type NotificationPlan } from './inbound-notification';
import { CLOCK, type Clock } from '../capture/ports/clock';

export interface AppliedNotification {
  outcome: NotificationOutcome;
  detail: string;
  results: ApplyResult[];
  /** The order learnt its paymentId: orphans waiting for that id can now be replayed. */
  filledPaymentId: boolean;
}

@Injectable()
export class NotificationApplier {
  constructor(
    private readonly capture: OrderEventApplier,
    private readonly uow: UnitOfWork,
    @Inject(CAPTURE_OPTIONS) private readonly options: CaptureModuleOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The order a notification belongs to, locked; null when we do not know the payment yet. */
  async findOrder(em: EntityManager, n: InboundNotification): Promise<OrderEntity | null> {
    if (n.paymentId === null) return null;
    const byPayment = await this.capture.lockWhere(em, { acquirer: n.acquirer, paymentId: n.paymentId });
    if (byPayment || n.paymentRequestId === undefined) return byPayment;
    return this.capture.lockWhere(em, { acquirer: n.acquirer, paymentRequestId: n.paymentRequestId });
  }

  lockOrder(em: EntityManager, id: string): Promise<OrderEntity | null> {
    return this.capture.lock(em, id);
  }

  /** `order` is locked in this transaction (findOrder, lockOrder): it is not read again. */
  async apply(
    em: EntityManager,
    order: OrderEntity,
    n: InboundNotification,
    rowId: number,
    receivedAt: Date,
    source: EventSource,
  ): Promise<AppliedNotification> {
    const at = receivedAt.toISOString();
    const plan: NotificationPlan = n.plan
      ? n.plan({ order, at, captureDeadlineDays: this.options.captureDeadlineDays })
      : { events: [], note: n.note };
    const results: ApplyResult[] = [];
    let recorded = false;
    for (const [i, event] of plan.events.entries()) {
      // The last event's writes carry the notification's outcome (one round trip fewer), when
      // nothing after it (a review flag, the paymentId) can change that outcome any more.
      const carry =
        i === plan.events.length - 1 && !plan.paymentId
          ? (batch: SqlBatch, r: Applied) => {
              recorded = true;
              this.stageOutcome(batch, rowId, order.id, outcomeOf([...results, r], plan, false));
            }
          : undefined;
      const result = await this.capture.applyToLocked(em, order, event, source, undefined, carry);
      results.push(result);
      // The acquirer reported something the machine refuses: kept in front of a human, not dropped.
      if (result.kind === 'rejected') {
        const reason = `${n.acquirer} ${describe(event)} not applied: ${result.reason}`;
        results.push(await this.capture.applyToLocked(em, order, reviewFlag(reason, at), source));
      }
    }
    // paymentId is an order column the machine does not keep.
    const filledPaymentId = plan.paymentId
      ? await this.capture.fillPaymentId(em, order, plan.paymentId)
      : false;
    const applied = { ...outcomeOf(results, plan, filledPaymentId), results, filledPaymentId };
    if (!recorded) {
      const batch = this.uow.batch();
      this.stageOutcome(batch, rowId, order.id, applied);
      await batch.run(em);
    }
    return applied;
  }

  private stageOutcome(
    batch: SqlBatch,
    rowId: number,
    orderId: string,
    outcome: { outcome: NotificationOutcome; detail: string },
  ): void {
    const table = this.uow.tables.notifications;
    const p = batch.params;
    const set = table.assignments(p, {
      orderId,
      outcome: outcome.outcome,
      detail: outcome.detail,
      processedAt: this.clock.now(),
    });
    batch.add(`UPDATE ${table.name} SET ${set} WHERE ${table.col('id')} = ${p.add(rowId)}`);
  }
}

function describe(event: CaptureEvent): string {
  return 'captureRequestId' in event ? `${event.type} for ${event.captureRequestId}` : event.type;
}

function outcomeOf(
  results: ApplyResult[],
  plan: NotificationPlan,
  filledPaymentId: boolean,
): { outcome: NotificationOutcome; detail: string } {
  const applied = results.filter((r) => r.kind === 'applied');
  const flagged = applied.filter((r) =>
    r.effects.some((e) => e.type === 'emit' && e.event === 'order.review_required'),
  );
  const lastFlagged = flagged.at(-1);
  if (lastFlagged) return { outcome: 'review', detail: lastFlagged.order.reviewReason ?? 'review opened' };
  if (applied.length > 0)
    return { outcome: 'applied', detail: applied.map((r) => `${r.from} -> ${r.to}`).join(', ') };
  if (filledPaymentId) return { outcome: 'applied', detail: 'paymentId filled in' };
  const duplicate = results.find((r) => r.kind === 'duplicate');
  if (duplicate) return { outcome: 'duplicate', detail: duplicate.reason };
  return { outcome: 'ignored', detail: plan.note ?? 'nothing to apply' };
}
