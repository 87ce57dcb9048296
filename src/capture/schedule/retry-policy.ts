/**
 * After a failed capture: may we try again, with what, and when? Pure, from the machine's
 * context, so next-check (when to look) and the scheduler (whether to act) agree.
 *
 * A retry is a NEW attempt (new captureRequestId) for the same amount, only when the last
 * failure's code is classified `retry` (result-codes.ts), at most CAPTURE_RETRY_MAX times in a
 * row, CAPTURE_RETRY_BACKOFF_MS after the failure, and only before the deadline. Codes that
 * say the authorization is gone, or that need a human, are never retried: the machine has
 * already moved those orders to autoCancelled or flagged them for review.
 */
import type { CaptureModuleOptions } from '../options/capture-options';
import type { CaptureContext, CaptureStateName, MinorUnits } from '../machine/capture-types';
import { classifyFailure } from '../machine/result-codes';
import type { OrderEntity } from '../persistence/entities';

export type RetryPlan =
  | { kind: 'retry'; amount: MinorUnits; isLast: boolean; retriesSoFar: number }
  | { kind: 'none'; reason: string };

/** States in which a failed attempt of ours may be followed by a new one. */
const RETRY_STATES: readonly CaptureStateName[] = ['captureFailed', 'partiallyCaptured'];

export function retryPlan(ctx: CaptureContext, retryMax: number): RetryPlan {
  // Attempts keep their insertion order in the snapshot; ours have non-numeric ids ("cr_...").
  const ours = Object.values(ctx.attempts).filter((a) => a.ours);
  const last = ours[ours.length - 1];
  if (!last || last.status !== 'failed') return { kind: 'none', reason: 'the last attempt did not fail' };
  const kind = classifyFailure(last.resultCode);
  if (kind !== 'retry') return { kind: 'none', reason: `${last.resultCode ?? 'no code'} is not retryable` };
  let failedInARow = 0;
  for (let i = ours.length - 1; i >= 0 && ours[i]?.status === 'failed'; i--) failedInARow += 1;
  const retriesSoFar = failedInARow - 1;
  if (retriesSoFar >= retryMax) return { kind: 'none', reason: `${retriesSoFar} retries made already` };
  return { kind: 'retry', amount: last.amount, isLast: last.isLast, retriesSoFar };
}

/**
 * When the next retry falls due, or null when there is none. The failure's time is the order's
 * updatedAt (the transition that recorded it); a later transition that keeps the state (a
 * deadline warning) can only push the retry later, never earlier.
 */
export function retryDueAt(
  order: Pick<OrderEntity, 'state' | 'captureMode' | 'snapshot' | 'updatedAt' | 'captureDeadline'>,
  options: Pick<CaptureModuleOptions, 'captureRetryMax' | 'captureRetryBackoffMs'>,
): Date | null {
  if (order.captureMode !== 'MANUAL' || !RETRY_STATES.includes(order.state)) return null;
  if (retryPlan(order.snapshot.context, options.captureRetryMax).kind !== 'retry') return null;
  const due = order.updatedAt.getTime() + options.captureRetryBackoffMs;
  return due < order.captureDeadline.getTime() ? new Date(due) : null;
}
