import { Inject, Injectable } from '@nestjs/common';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from '../options/capture-options';
import { inquiryDelayMs } from '../schedule/inquiry-schedule';
import type { AttemptRecord, CaptureEvent } from '../machine/capture-types';
import type { CaptureAttemptEntity, OrderEntity } from './entities';
import type { SqlBatch } from './sql-batch';
import type { SqlTable } from './sql-table';

/** A capture attempt a transition resolved, as the metrics count it. */
export interface ResolvedAttempt {
  captureRequestId: string;
  status: 'succeeded' | 'failed';
  resultCode: string | null;
  /** From the attempt's creation to its resolution, for attempts we sent; null otherwise. */
  seconds: number | null;
}

/**
 * Mirrors the attempts in the machine's context into capture_attempts, in the transaction
 * of the transition: a new attempt is committed (pending, with a first inquiry time) before
 * anyone calls the acquirer; a result resolves it. Returns the attempts it resolved.
 */
@Injectable()
export class AttemptWriter {
  constructor(@Inject(CAPTURE_OPTIONS) private readonly options: CaptureModuleOptions) {}

  /**
   * Adds the attempt rows that changed in this transition to the step's writes; once they ran,
   * `resolved(returned)` lists the attempts it resolved (the age of one comes back with its
   * update, RETURNING created_at, so it is never read separately).
   */
  stage(
    batch: SqlBatch,
    table: SqlTable<CaptureAttemptEntity>,
    order: OrderEntity,
    before: Record<string, AttemptRecord>,
    event: CaptureEvent,
    now: Date,
  ): (returned: unknown[]) => ResolvedAttempt[] {
    const later: ((returned: unknown[]) => ResolvedAttempt)[] = [];
    const inserts: Partial<CaptureAttemptEntity>[] = [];
    for (const [id, attempt] of Object.entries(order.snapshot.context.attempts)) {
      // An id is acquirer input: "constructor" or "__proto__" must not find Object.prototype.
      const previous = Object.hasOwn(before, id) ? before[id] : undefined;
      if (previous && JSON.stringify(previous) === JSON.stringify(attempt)) continue;
      const resolved = attempt.status !== 'pending';
      const result = resultOf(event, id);
      if (!previous) {
        inserts.push(this.newRow(id, order, attempt, result.message, resolved, now));
        if (resolved) later.push(() => resolution(id, attempt, now, now));
        continue;
      }
      const set: Partial<CaptureAttemptEntity> = {
        amount: attempt.amount,
        status: attempt.status,
        captureId: attempt.captureId ?? null,
        resultCode: attempt.resultCode ?? null,
        ...(result.message !== null ? { resultMessage: result.message } : {}),
        ...(resolved ? { resolvedAt: now, nextInquiryAt: null } : {}),
        updatedAt: now,
      };
      const p = batch.params;
      const sql = `UPDATE ${table.name} SET ${table.assignments(p, set)} WHERE ${table.col('captureRequestId')} = ${p.add(id)}`;
      if (!resolved) {
        batch.add(sql);
        continue;
      }
      const index = batch.add(sql, table.col('createdAt'));
      later.push((returned) => {
        const createdAt = table.read('createdAt', returned[index]);
        return resolution(id, attempt, now, createdAt instanceof Date ? createdAt : null);
      });
    }
    if (inserts.length > 0) batch.add(table.insert(batch.params, inserts));
    return (returned) => later.map((resolve) => resolve(returned));
  }

  private newRow(
    id: string,
    order: OrderEntity,
    attempt: AttemptRecord,
    message: string | null,
    resolved: boolean,
    now: Date,
  ): Partial<CaptureAttemptEntity> {
    return {
      captureRequestId: id,
      orderId: order.id,
      currency: order.currency,
      amount: attempt.amount,
      isLast: attempt.isLast,
      status: attempt.status,
      origin: attempt.ours ? 'merchant' : 'acquirer',
      captureId: attempt.captureId ?? null,
      resultCode: attempt.resultCode ?? null,
      resultMessage: message,
      calledAt: null,
      inquiryCount: 0,
      nextInquiryAt: resolved
        ? null
        : new Date(now.getTime() + inquiryDelayMs(0, this.options.inquiryBackoffMs)),
      resolvedAt: resolved ? now : null,
      createdAt: now,
      updatedAt: now,
    };
  }
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
