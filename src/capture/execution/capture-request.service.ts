import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ApplyResult, EventSource } from '../capture-result';
import type { CaptureEvent } from '../machine/capture-types';
import { OrderEventApplier } from '../order-event-applier';
import { OrderEntity } from '../persistence/entities';
import { UnitOfWork } from '../persistence/unit-of-work';
import { CLOCK, type Clock } from '../ports/clock';

export interface CaptureRequestOptions {
  /** Minor units; defaults to everything not captured yet. */
  amount?: string;
  /** The last capture of a multi-capture payment (the rest of the authorization is released). */
  isLast?: boolean;
}

export interface CaptureRequestResult {
  /** The id the acquirer will see; a retry after F always gets a new one. */
  captureRequestId: string;
  result: ApplyResult;
}

/**
 * Where every capture we send starts (operator, scheduler, retry): a new captureRequestId is
 * committed with the order in capturePending before anything calls the acquirer, so a crash
 * leaves a pending attempt for reconciliation and never a second capture.
 */
@Injectable()
export class CaptureRequestService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly capture: OrderEventApplier,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async requestCapture(
    orderId: string,
    options: CaptureRequestOptions,
    source: EventSource,
    now: Date = this.clock.now(),
  ): Promise<CaptureRequestResult> {
    const order = await this.uow.dataSource.getRepository(OrderEntity).findOne({ where: { id: orderId } });
    if (!order) return { captureRequestId: newCaptureRequestId(), result: { kind: 'notFound', orderId } };
    return this.requestCaptureOf(order, options, source, now);
  }

  /** For a caller that has just read the order (the scheduler's claim): no second read. */
  async requestCaptureOf(
    order: OrderEntity,
    options: CaptureRequestOptions,
    source: EventSource,
    now: Date = this.clock.now(),
  ): Promise<CaptureRequestResult> {
    const captureRequestId = newCaptureRequestId();
    // The remaining amount is read outside the transaction; the machine checks it again under
    // the lock, so a stale read can only be refused, never over-capture.
    const remaining = (BigInt(order.authorizedAmount) - BigInt(order.capturedAmount)).toString();
    const event: CaptureEvent = {
      type: 'CAPTURE_REQUESTED',
      captureRequestId,
      amount: { currency: order.currency, value: options.amount ?? remaining },
      ...(options.isLast !== undefined ? { isLast: options.isLast } : {}),
      at: now.toISOString(),
    };
    // Scheduled captures come due together: their transactions are shared (group commit).
    const result = await this.uow.grouped(order.id, (em) =>
      this.capture.applyWithin(em, order.id, event, source, now),
    );
    return { captureRequestId, result };
  }
}

/** 35 characters, well inside Antom's 64; unique without coordination between instances. */
export function newCaptureRequestId(): string {
  return `cr_${randomUUID().replace(/-/g, '')}`;
}
