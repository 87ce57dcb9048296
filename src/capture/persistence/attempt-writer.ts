import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from '../options/capture-options';
import { inquiryDelayMs } from '../schedule/inquiry-schedule';
import type { AttemptRecord, CaptureEvent } from '../machine/capture.types';
import { CaptureAttemptEntity, type OrderEntity } from './entities';

/**
 * Mirrors the attempts in the machine's context into capture_attempts, in the transaction
 * of the transition: a new attempt is committed (pending, with a first inquiry time) before
 * anyone calls the acquirer; a result resolves it.
 */
@Injectable()
export class AttemptWriter {
  constructor(@Inject(CAPTURE_OPTIONS) private readonly options: CaptureModuleOptions) {}

  async write(
    em: EntityManager,
    order: OrderEntity,
    before: Record<string, AttemptRecord>,
    event: CaptureEvent,
    now: Date,
  ): Promise<void> {
    const repo = em.getRepository(CaptureAttemptEntity);
    for (const [id, attempt] of Object.entries(order.snapshot.context.attempts)) {
      // An id is acquirer input: "constructor" or "__proto__" must not find Object.prototype.
      const previous = Object.hasOwn(before, id) ? before[id] : undefined;
      if (previous && JSON.stringify(previous) === JSON.stringify(attempt)) continue;
      const resolved = attempt.status !== 'pending';
      const result = resultOf(event, id);
      if (!previous) {
        await repo.insert({
          captureRequestId: id,
          orderId: order.id,
          currency: order.currency,
          amount: attempt.amount,
          isLast: attempt.isLast,
          status: attempt.status,
          origin: attempt.ours ? 'merchant' : 'acquirer',
          captureId: attempt.captureId ?? null,
          resultCode: attempt.resultCode ?? null,
          resultMessage: result.message,
          calledAt: null,
          inquiryCount: 0,
          nextInquiryAt: resolved
            ? null
            : new Date(now.getTime() + inquiryDelayMs(0, this.options.inquiryBackoffMs)),
          resolvedAt: resolved ? now : null,
          createdAt: now,
          updatedAt: now,
        });
        continue;
      }
      await repo.update(
        { captureRequestId: id },
        {
          amount: attempt.amount,
          status: attempt.status,
          captureId: attempt.captureId ?? null,
          resultCode: attempt.resultCode ?? null,
          ...(result.message !== null ? { resultMessage: result.message } : {}),
          ...(resolved ? { resolvedAt: now, nextInquiryAt: null } : {}),
          updatedAt: now,
        },
      );
    }
  }
}

function resultOf(event: CaptureEvent, id: string): { message: string | null } {
  if (event.type === 'CAPTURE_FAILED' && event.captureRequestId === id) {
    return { message: event.resultMessage?.slice(0, 256) ?? null };
  }
  return { message: null };
}
