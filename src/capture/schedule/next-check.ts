import type { CaptureModuleOptions } from '../options/capture-options';
import { scheduledInquiryAfter } from './inquiry-schedule';
import { retryDueAt } from './retry-policy';
import type { Acquirer, CaptureStateName } from '../machine/capture-types';
import type { OrderEntity } from '../persistence/entities';
import { OPEN_STATES } from '../states/open-states';

const HOUR = 3_600_000;

// Every open state is a state of the machine (a compile-time check).
const OPEN: readonly CaptureStateName[] = OPEN_STATES;

/** Acquirers we can ask about a payment's captures: PayerMax documents no capture query. */
export const INQUIRABLE: readonly Acquirer[] = ['antom'];

export function isOpenState(state: CaptureStateName): boolean {
  return OPEN.includes(state);
}

/**
 * When the scheduler should next look at an order: its scheduled capture, a retry after a
 * retryable failure, an inquiry of an AUTOMATIC order whose capture result has not arrived, the
 * deadline warning, or the deadline itself, whichever comes first. Pending attempts carry their
 * own inquiry time on capture_attempts.
 *
 * `inquiredAt`: when the scheduler last asked about an AUTOMATIC order; without it the first
 * inquiry is due at the end of the grace period (a past time when the order arrives late).
 */
export function computeNextCheckAt(
  order: Pick<
    OrderEntity,
    | 'state'
    | 'acquirer'
    | 'captureMode'
    | 'captureAt'
    | 'authorizedAt'
    | 'captureDeadline'
    | 'snapshot'
    | 'updatedAt'
  >,
  options: Pick<
    CaptureModuleOptions,
    | 'deadlineWarningHours'
    | 'automaticCaptureGraceMs'
    | 'inquiryBackoffMs'
    | 'captureRetryMax'
    | 'captureRetryBackoffMs'
  >,
  inquiredAt?: Date,
): Date | null {
  // Past a deadline that found a capture unresolved, the order waits for that capture (its
  // notification, or an operator); looking again would only repeat the deadline.
  if (!isOpenState(order.state) || order.snapshot.context.deadlinePassed) return null;
  const deadline = order.captureDeadline.getTime();
  const candidates = [deadline];
  if (!order.snapshot.context.deadlineWarned) candidates.push(deadline - options.deadlineWarningHours * HOUR);
  if (order.captureMode === 'MANUAL') {
    if (order.state === 'authorized' && order.captureAt) candidates.push(order.captureAt.getTime());
    const retry = retryDueAt(order, options);
    if (retry) candidates.push(retry.getTime());
  } else if (order.state === 'authorized' && INQUIRABLE.includes(order.acquirer)) {
    const origin = new Date(order.authorizedAt.getTime() + options.automaticCaptureGraceMs);
    const next = inquiredAt
      ? scheduledInquiryAfter(origin, inquiredAt, order.captureDeadline, options.inquiryBackoffMs)
      : origin;
    if (next) candidates.push(next.getTime());
  }
  return new Date(Math.min(...candidates));
}
