/**
 * Applies one stored notification to its order, inside the caller's transaction: the order is
 * locked first, the plan is computed from what is locked, every event goes through
 * OrderEventApplier.applyWithin, and the notification row gets its outcome. Shared by the inbox
 * (live deliveries) and the orphan replay, so both apply exactly the same way.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from '../capture/options/capture-options';
import type { ApplyResult, EventSource } from '../capture/capture-result';
import { OrderEventApplier } from '../capture/order-event-applier';
import type { CaptureEvent } from '../capture/machine/capture.types';
import { computeNextCheckAt } from '../capture/schedule/next-check';
import {
  InboundNotificationEntity,
  OrderEntity,
  type NotificationOutcome,
} from '../capture/persistence/entities';
import { UnitOfWork } from '../capture/persistence/unit-of-work';
import { reviewFlag, type InboundNotification, type NotificationPlan } from './inbound-notification';

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
    private readonly uow: UnitOfWork,
    private readonly capture: OrderEventApplier,
    @Inject(CAPTURE_OPTIONS) private readonly options: CaptureModuleOptions,
  ) {}

  /** The order a notification belongs to, locked; null when we do not know the payment yet. */
  async findOrder(em: EntityManager, n: InboundNotification): Promise<OrderEntity | null> {
    if (n.paymentId === null) return null;
    const byPayment = await this.lockWhere(em, { acquirer: n.acquirer, paymentId: n.paymentId });
    if (byPayment || n.paymentRequestId === undefined) return byPayment;
    return this.lockWhere(em, { acquirer: n.acquirer, paymentRequestId: n.paymentRequestId });
  }

  lockOrder(em: EntityManager, id: string): Promise<OrderEntity | null> {
    return this.lockWhere(em, { id });
  }

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
    for (const event of plan.events) {
      const result = await this.capture.applyWithin(em, order.id, event, source);
      results.push(result);
      // The acquirer reported something the machine refuses: kept in front of a human, not dropped.
      if (result.kind === 'rejected') {
        const reason = `${n.acquirer} ${describe(event)} not applied: ${result.reason}`;
        results.push(await this.capture.applyWithin(em, order.id, reviewFlag(reason, at), source));
      }
    }
    const filledPaymentId = await this.updateColumns(em, order, plan, results);
    const applied = { ...outcomeOf(results, plan, filledPaymentId), results, filledPaymentId };
    await em
      .getRepository(InboundNotificationEntity)
      .update(
        { id: rowId },
        { orderId: order.id, outcome: applied.outcome, detail: applied.detail, processedAt: new Date() },
      );
    return applied;
  }

  private lockWhere(em: EntityManager, where: Partial<OrderEntity>): Promise<OrderEntity | null> {
    const repo = em.getRepository(OrderEntity);
    // SQLite transactions here are exclusive already (BEGIN IMMEDIATE); PostgreSQL needs the row lock.
    if (!this.uow.isPostgres) return repo.findOne({ where: where as never });
    return repo.findOne({ where: where as never, lock: { mode: 'pessimistic_write' } });
  }

  /** paymentId and the authorization time are order columns the machine does not keep. */
  private async updateColumns(
    em: EntityManager,
    order: OrderEntity,
    plan: NotificationPlan,
    results: ApplyResult[],
  ): Promise<boolean> {
    const confirmed = results.some(
      (r) =>
        r.kind === 'applied' &&
        r.order.snapshot.context.captureDeadline !== order.snapshot.context.captureDeadline,
    );
    if (!plan.paymentId && !confirmed) return false;
    const repo = em.getRepository(OrderEntity);
    const current = await repo.findOneByOrFail({ id: order.id });
    let filled = false;
    if (plan.paymentId && current.paymentId === null) {
      const taken = await repo.exists({ where: { acquirer: current.acquirer, paymentId: plan.paymentId } });
      if (!taken) {
        current.paymentId = plan.paymentId;
        filled = true;
      }
    }
    if (confirmed && plan.authorizedAt) {
      current.authorizedAt = new Date(plan.authorizedAt);
      current.captureDeadline = new Date(current.snapshot.context.captureDeadline);
      current.nextCheckAt = computeNextCheckAt(current, this.options);
    }
    await repo.save(current);
    return filled;
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
