import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from '../options/capture-options';
import { inquiryDelayMs } from '../schedule/inquiry-schedule';
import type { AttemptRecord, CaptureEvent } from '../machine/capture-types';
import { CaptureAttemptEntity, type OrderEntity } from './entities';

/**
 * Mirrors the attempts in the machine's context into capture_attempts, in the transaction
 * of the transition: a new attempt is committed (pending, with a first inquiry time) before
 * anyone calls the acquirer; a result resolves it. Returns the attempts it resolved.
 */
/** A capture attempt a transition resolved, as the metrics count it. */
export interface ResolvedAttempt {
  captureRequestId: string;
  status: 'succeeded' | 'failed';
  resultCode: string | null;
  /** From the attempt's creation to its resolution, for attempts we sent; null otherwise. */
  seconds: number | null;
}

@Injectable()
export class AttemptWriter {
  constructor(@Inject(CAPTURE_OPTIONS) private readonly options: CaptureModuleOptions) {}

  async write(
    em: EntityManager,
    order: OrderEntity,
    before: Record<string, AttemptRecord>,
    event: CaptureEvent,
    now: Date,
  ): Promise<ResolvedAttempt[]> {
    const repo = em.getRepository(CaptureAttemptEntity);
    const resolvedNow: ResolvedAttempt[] = [];
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
        if (resolved) resolvedNow.push(resolution(id, attempt, now, now));
        continue;
      }
      const update = em
        .createQueryBuilder()
        .update(CaptureAttemptEntity)
        .set({
          amount: attempt.amount,
          status: attempt.status,
          captureId: attempt.captureId ?? null,
          resultCode: attempt.resultCode ?? null,
          ...(result.message !== null ? { resultMessage: result.message } : {}),
          ...(resolved ? { resolvedAt: now, nextInquiryAt: null } : {}),
          updatedAt: now,
        })
        .where('captureRequestId = :id', { id });
      if (!resolved) {
        await update.execute();
        continue;
      }
      // The attempt's age is a metric: read back with the write where the database can.
      const createdAt = em.connection.driver.isReturningSqlSupported('update')
        ? await createdAtOf(update.returning('created_at').execute())
        : await update.execute().then(() => createdAtOf(repo.findOne({ where: { captureRequestId: id } })));
      resolvedNow.push(resolution(id, attempt, now, createdAt));
    }
    return resolvedNow;
  }
}

async function createdAtOf(read: Promise<unknown>): Promise<Date | null> {
  const r = (await read) as { raw?: { created_at?: unknown }[]; createdAt?: Date } | null;
  const value = r?.raw?.[0]?.created_at ?? r?.createdAt;
  return value instanceof Date ? value : null;
}

function resolution(id: string, a: AttemptRecord, now: Date, createdAt: Date | null): ResolvedAttempt {
  return {
    captureRequestId: id,
    status: a.status === 'succeeded' ? 'succeeded' : 'failed',
    resultCode: a.resultCode ?? null,
    seconds: a.ours && createdAt ? (now.getTime() - createdAt.getTime()) / 1000 : null,
  };
}

function resultOf(event: CaptureEvent, id: string): { message: string | null } {
  if (event.type === 'CAPTURE_FAILED' && event.captureRequestId === id) {
    return { message: event.resultMessage?.slice(0, 256) ?? null };
  }
  return { message: null };
}
