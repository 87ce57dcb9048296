import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from './options/capture-options';
import type { AfterCommitHandler, ApplyResult, EventSource } from './capture-result';
import { step, type StoredSnapshot } from './machine/capture-engine';
import type { CaptureEffect, CaptureEvent, DomainEventType } from './machine/capture-types';
import { computeNextCheckAt } from './schedule/next-check';
import { OrderEntity, type OutboxEventEntity } from './persistence/entities';
import { runSql, type SqlBatch } from './persistence/sql-batch';
import { SqlParams } from './persistence/sql-table';
import type { CaptureEventPayload } from './persistence/entities/order-transition.entity';
import { AttemptWriter } from './persistence/attempt-writer';
import { UnitOfWork } from './persistence/unit-of-work';
import { CLOCK, type Clock } from './ports/clock';
import type { DomainEvent } from './events/domain-event';

/**
 * The one way any event, from any source, reaches an order: lock it, restore its snapshot,
 * compute the next one with the pure machine, save order + transition + outbox + attempts in
 * the same transaction, and run the effects only after commit (the UnitOfWork runs them).
 */
@Injectable()
export class OrderEventApplier {
  private readonly log = new Logger(OrderEventApplier.name);
  private readonly afterCommitHandlers: AfterCommitHandler[] = [];

  constructor(
    private readonly uow: UnitOfWork,
    private readonly attempts: AttemptWriter,
    @Inject(CAPTURE_OPTIONS) private readonly options: CaptureModuleOptions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Effects (calling the acquirer, delivering events) subscribe here; they run after commit. */
  onCommitted(handler: AfterCommitHandler): void {
    this.afterCommitHandlers.push(handler);
  }

  /** `now` stamps the rows written (updatedAt, the transition, the outbox); default: the clock. */
  async apply(
    orderId: string,
    event: CaptureEvent,
    source: EventSource,
    now: Date = this.clock.now(),
  ): Promise<ApplyResult> {
    return this.uow.run((em) => this.applyWithin(em, orderId, event, source, now));
  }

  /**
   * The same sequence inside a caller's transaction (UnitOfWork.run: the webhook stores its
   * notification in it); the after-commit handlers run once that transaction has committed.
   */
  async applyWithin(
    em: EntityManager,
    orderId: string,
    event: CaptureEvent,
    source: EventSource,
    now: Date = this.clock.now(),
  ): Promise<ApplyResult> {
    const order = await this.lock(em, orderId);
    if (!order) return { kind: 'notFound', orderId };
    return this.applyToLocked(em, order, event, source, now);
  }

  /**
   * For a caller that already holds the order's row lock (`lock`, in this transaction): no second
   * read. `alsoWrite` adds the caller's own writes to the step's, once the step is known to apply
   * (the notification's outcome rides along with its transition).
   */
  async applyToLocked(
    em: EntityManager,
    order: OrderEntity,
    event: CaptureEvent,
    source: EventSource,
    now: Date = this.clock.now(),
    alsoWrite?: (batch: SqlBatch, applied: Applied) => void,
  ): Promise<ApplyResult> {
    const orderId = order.id;
    const outcome = step(order.snapshot, event);
    if (outcome.kind !== 'applied') return { ...outcome, orderId };

    const before = order.snapshot;
    this.copySnapshot(order, outcome.snapshot, event, now);
    // One round trip on PostgreSQL for the whole step (SqlBatch): the order row, the history,
    // the attempts and the outbox are written together, in the caller's transaction.
    const { orders, transitions, attempts, outbox } = this.uow.tables;
    const batch = this.uow.batch();
    const p = batch.params;
    batch.add(
      `UPDATE ${orders.name} SET ${orders.assignments(p, snapshotColumns(order))} WHERE ${orders.col('id')} = ${p.add(orderId)}`,
    );
    batch.add(
      transitions.insert(p, [
        {
          orderId,
          fromState: outcome.from,
          toState: outcome.to,
          eventType: event.type,
          source,
          payload: eventPayload(event),
          at: now,
        },
      ]),
    );
    const resolvedBy = this.attempts.stage(batch, attempts, order, before.context.attempts, event, now);
    const events = outboxRows(order, outcome.effects, now);
    if (events.length > 0) batch.add(outbox.insert(p, events));
    const result: Applied = {
      kind: 'applied',
      orderId,
      from: outcome.from,
      to: outcome.to,
      order,
      effects: outcome.effects,
      at: now,
      resolved: [],
    };
    alsoWrite?.(batch, result);
    const written = batch.run(em).then((returned) => {
      result.resolved = resolvedBy(returned);
    });
    // On PostgreSQL nothing here needs the writes' answer before the commit: they go out now and
    // are settled with COMMIT (a failure fails the transaction; later statements run after them).
    if (this.uow.defersWrites(em)) this.uow.settleAtCommit(em, written);
    else await written;
    this.uow.afterCommit(em, () => this.committed(result));
    return result;
  }

  /** The order row, locked for this transaction; null when there is none. */
  lock(em: EntityManager, orderId: string): Promise<OrderEntity | null> {
    return this.lockWhere(em, { id: orderId });
  }

  /** The order matching `where` (unique columns), locked for this transaction. */
  async lockWhere(
    em: EntityManager,
    where: Partial<Pick<OrderEntity, 'id' | 'acquirer' | 'paymentId' | 'paymentRequestId'>>,
  ): Promise<OrderEntity | null> {
    const { orders } = this.uow.tables;
    const p = new SqlParams(this.uow.isPostgres);
    const conditions = Object.entries(where).map(
      ([key, value]) => `${orders.col(key as 'id')} = ${p.add(value)}`,
    );
    // SQLite transactions here are exclusive already (BEGIN IMMEDIATE): no row lock to ask for.
    const lock = this.uow.isPostgres ? ' FOR UPDATE' : '';
    const sql = `SELECT ${orders.list()} FROM ${orders.name} WHERE ${conditions.join(' AND ')}${lock}`;
    const { rows } = await runSql(em, sql, p.values);
    return rows[0] ? orders.hydrate(rows[0], new OrderEntity()) : null;
  }

  /**
   * Gives an order its paymentId (learnt from an authorization notification) unless the order
   * has one, or another order of the acquirer already holds it. The order must be locked.
   */
  async fillPaymentId(em: EntityManager, order: OrderEntity, paymentId: string): Promise<boolean> {
    if (order.paymentId !== null) return false;
    const repo = em.getRepository(OrderEntity);
    if (await repo.exists({ where: { acquirer: order.acquirer, paymentId } })) return false;
    await repo.update({ id: order.id }, { paymentId });
    order.paymentId = paymentId;
    return true;
  }

  /** Runs the handlers for one committed result; a failing handler never undoes a commit. */
  private async committed(result: Applied): Promise<void> {
    for (const handler of this.afterCommitHandlers) {
      try {
        await handler(result);
      } catch (err) {
        this.log.error(`after-commit handler failed for order ${result.orderId}: ${(err as Error).message}`);
      }
    }
  }

  /** Every order column that follows from the snapshot (or the event that made it) is set here. */
  private copySnapshot(order: OrderEntity, snapshot: StoredSnapshot, event: CaptureEvent, now: Date): void {
    const ctx = snapshot.context;
    order.snapshot = snapshot;
    order.state = snapshot.value;
    order.capturedAmount = ctx.capturedAmount;
    order.captureDeadline = new Date(ctx.captureDeadline);
    // The machine keeps the deadline, not the authorization time it was counted from.
    if (event.type === 'AUTHORIZATION_CONFIRMED') order.authorizedAt = new Date(event.authorizedAt);
    order.reviewReason = ctx.review?.reason ?? null;
    order.reviewSince = ctx.review ? new Date(ctx.review.since) : null;
    order.version += 1;
    order.updatedAt = now;
    order.nextCheckAt = computeNextCheckAt(order, this.options);
  }
}

export type Applied = Extract<ApplyResult, { kind: 'applied' }>;

function outboxRows(order: OrderEntity, effects: CaptureEffect[], now: Date): Partial<OutboxEventEntity>[] {
  return effects
    .filter((e): e is Extract<CaptureEffect, { type: 'emit' }> => e.type === 'emit')
    .map((e) => {
      const eventId = randomUUID();
      return {
        eventId,
        orderId: order.id,
        type: e.event,
        payload: domainEventPayload(eventId, e.event, order, now),
        createdAt: now,
        nextAttemptAt: now,
      };
    });
}

function snapshotColumns(o: OrderEntity): Partial<OrderEntity> {
  return {
    snapshot: o.snapshot,
    state: o.state,
    capturedAmount: o.capturedAmount,
    captureDeadline: o.captureDeadline,
    authorizedAt: o.authorizedAt,
    reviewReason: o.reviewReason,
    reviewSince: o.reviewSince,
    version: o.version,
    updatedAt: o.updatedAt,
    nextCheckAt: o.nextCheckAt,
  };
}

function eventPayload(event: CaptureEvent): CaptureEventPayload {
  const { type: _type, ...rest } = event;
  return rest;
}

function domainEventPayload(
  eventId: string,
  type: DomainEventType,
  order: OrderEntity,
  at: Date,
): DomainEvent {
  return {
    id: eventId,
    type,
    occurredAt: at.toISOString(),
    order: {
      id: order.id,
      merchantOrderId: order.merchantOrderId,
      acquirer: order.acquirer,
      paymentId: order.paymentId,
      state: order.state,
      amount: { currency: order.currency, value: order.authorizedAmount },
      capturedAmount: { currency: order.currency, value: order.capturedAmount },
      review:
        order.reviewReason && order.reviewSince
          ? { reason: order.reviewReason, since: order.reviewSince.toISOString() }
          : null,
    },
  };
}
