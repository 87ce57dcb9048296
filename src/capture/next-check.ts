import type { CaptureModuleOptions } from './capture-options';
import type { OrderEntity } from './persistence/entities';

const HOUR = 3_600_000;

/**
 * When the scheduler should next look at an order: its scheduled capture, the grace period of
 * an AUTOMATIC order, the deadline warning, or the deadline itself, whichever comes first.
 * Pending attempts carry their own inquiry time on capture_attempts.
 */
export function computeNextCheckAt(
  order: Pick<
    OrderEntity,
    'state' | 'captureMode' | 'captureAt' | 'authorizedAt' | 'captureDeadline' | 'snapshot'
  >,
  options: Pick<CaptureModuleOptions, 'deadlineWarningHours' | 'automaticCaptureGraceMs'>,
): Date | null {
  if (order.state === 'captured' || order.state === 'autoCancelled' || order.state === 'cancelled')
    return null;
  const deadline = order.captureDeadline.getTime();
  const candidates = [deadline];
  if (!order.snapshot.context.deadlineWarned) candidates.push(deadline - options.deadlineWarningHours * HOUR);
  const waiting = order.state === 'authorized' || order.state === 'captureFailed';
  if (waiting && order.captureMode === 'MANUAL' && order.captureAt)
    candidates.push(order.captureAt.getTime());
  if (order.state === 'authorized' && order.captureMode === 'AUTOMATIC') {
    candidates.push(order.authorizedAt.getTime() + options.automaticCaptureGraceMs);
  }
  return new Date(Math.min(...candidates));
}
