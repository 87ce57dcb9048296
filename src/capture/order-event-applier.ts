import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from './options/capture-options';
import type { AfterCommitHandler, ApplyResult, EventSource } from './capture-result';
import { step, type StoredSnapshot } from './machine/capture.engine';
import type { CaptureEffect, CaptureEvent } from './machine/capture.types';
import { computeNextCheckAt } from './schedule/next-check';
import { OrderEntity, OrderTransitionEntity, OutboxEventEntity } from './persistence/entities';
import { AttemptWriter } from './persistence/attempt-writer';
import { UnitOfWork } from './persistence/unit-of-work';

/**
 * The one way any event, from any source, reaches an order: lock it, restore its snapshot,
 * compute the next one with the pure machine, save order + transition + outbox + attempts in
 * the same transaction, and run the effects only after commit.
 */
@Injectable()
export class OrderEventApplier {
  private readonly log = new Logger(OrderEventApplier.name);
  private readonly afterCommitHandlers: AfterCommitHandler[] = [];

  constructor(
    private readonly uow: UnitOfWork,
    private readonly attempts: AttemptWriter,
    @Inject(CAPTURE_OPTIONS) private readonly options: CaptureModuleOptions,
  ) {}

  /** Effects (calling the acquirer, delivering events) subscribe here; they run after commit. */
  onCommitted(handler: AfterCommitHandler): void {
    this.afterCommitHandlers.push(handler);
  }

  async apply(orderId: string, event: CaptureEvent, source: EventSource): Promise<ApplyResult> {
    const result = await this.uow.run((em) => this.applyWithin(em, orderId, event, source));
    await this.committed([result]);
    return result;
  }

  /**
   * The same sequence inside a caller's transaction (the webhook stores its notification in
   * it). The caller must pass the results to `committed` once its transaction has committed.
   */
  async applyWithin(
    em: EntityManager,
    orderId: string,
    event: CaptureEvent,
    source: EventSource,
  ): Promise<ApplyResult> {
    const order = await this.lock(em, orderId);
    if (!order) return { kind: 'notFound', orderId };
    const outcome = step(order.snapshot, event);
    if (outcome.kind !== 'applied') return { ...outcome, orderId };

    const now = new Date();
    const before = order.snapshot;
    this.copySnapshot(order, outcome.snapshot, now);
    await em.getRepository(OrderEntity).save(order);
    await em.getRepository(OrderTransitionEntity).insert({
      orderId,
      fromState: outcome.from,
      toState: outcome.to,
      eventType: event.type,
      source,
      payload: eventPayload(event) as never,
      at: now,
    });
    await this.attempts.write(em, order, before.context.attempts, event, now);
    await this.writeOutbox(em, order, outcome.effects, now);
    return { kind: 'applied', orderId, from: outcome.from, to: outcome.to, order, effects: outcome.effects };
  }

  /** Runs the after-commit handlers of every applied result; a failing handler never undoes a commit. */
  async committed(results: ApplyResult[]): Promise<void> {
    for (const result of results) {
      if (result.kind !== 'applied') continue;
      for (const handler of this.afterCommitHandlers) {
        try {
          await handler(result);
        } catch (err) {
          this.log.error(
            `after-commit handler failed for order ${result.orderId}: ${(err as Error).message}`,
          );
        }
      }
    }
  }

  private async lock(em: EntityManager, orderId: string): Promise<OrderEntity | null> {
    const repo = em.getRepository(OrderEntity);
    // SQLite transactions here are already exclusive (BEGIN IMMEDIATE); only PostgreSQL needs a row lock.
    if (!this.uow.isPostgres) return repo.findOne({ where: { id: orderId } });
    return repo.findOne({ where: { id: orderId }, lock: { mode: 'pessimistic_write' } });
  }

  private copySnapshot(order: OrderEntity, snapshot: StoredSnapshot, now: Date): void {
    const ctx = snapshot.context;
    order.snapshot = snapshot;
    order.state = snapshot.value;
    order.capturedAmount = ctx.capturedAmount;
    order.reviewReason = ctx.review?.reason ?? null;
    order.reviewSince = ctx.review ? new Date(ctx.review.since) : null;
    order.version += 1;
    order.updatedAt = now;
    order.nextCheckAt = computeNextCheckAt(order, this.options);
  }

  private async writeOutbox(em: EntityManager, order: OrderEntity, effects: CaptureEffect[], now: Date) {
    const rows = effects
      .filter((e): e is Extract<CaptureEffect, { type: 'emit' }> => e.type === 'emit')
      .map((e) => {
        const eventId = randomUUID();
        return {
          eventId,
          orderId: order.id,
          type: e.event,
          payload: domainEventPayload(eventId, e.event, order, now) as never,
          createdAt: now,
          nextAttemptAt: now,
        };
      });
    if (rows.length > 0) await em.getRepository(OutboxEventEntity).insert(rows);
  }
}

function eventPayload(event: CaptureEvent): Record<string, unknown> {
  const { type: _type, ...rest } = event;
  return rest;
}

function domainEventPayload(eventId: string, type: string, order: OrderEntity, at: Date) {
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
      review: order.reviewReason
        ? { reason: order.reviewReason, since: order.reviewSince?.toISOString() }
        : null,
    },
  };
}
