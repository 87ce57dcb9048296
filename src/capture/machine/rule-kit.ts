/**
 * The small vocabulary the rule files share: the Decision they return, and read-only helpers
 * over the context. Pure, like the rules.
 */
import type {
  AttemptRecord,
  CaptureContext,
  CaptureEffect,
  CaptureStateName,
  DomainEventType,
} from './capture-types';
import { OPEN_STATES } from '../states/open-states';

export type Decision =
  | { kind: 'reject'; reason: string }
  | { kind: 'duplicate'; reason: string }
  | { kind: 'apply'; to: CaptureStateName; context: CaptureContext; effects: CaptureEffect[] };

export const FINAL: readonly CaptureStateName[] = [
  'captured',
  'autoCancelled',
  'partiallyLapsed',
  'cancelled',
];
/** The open states: the one definition the scheduler and the queries count too. */
export const OPEN: readonly CaptureStateName[] = OPEN_STATES;

export const reject = (reason: string): Decision => ({ kind: 'reject', reason });
export const duplicate = (reason: string): Decision => ({ kind: 'duplicate', reason });
export const emit = (event: DomainEventType): CaptureEffect => ({ type: 'emit', event });

export function apply(
  to: CaptureStateName,
  context: CaptureContext,
  effects: CaptureEffect[] = [],
): Decision {
  return { kind: 'apply', to, context, effects };
}

export function flag(from: CaptureStateName, ctx: CaptureContext, reason: string, at: string): Decision {
  if (ctx.review?.reason === reason) return duplicate('this review is already open');
  return apply(from, { ...ctx, review: { reason, since: at } }, [emit('order.review_required')]);
}

/** One capture only: PayerMax always, Antom unless the payment method allows several. */
export function isSingleCapture(ctx: Pick<CaptureContext, 'acquirer' | 'multiCapture'>): boolean {
  return ctx.acquirer === 'payermax' || !ctx.multiCapture;
}

export function remainingAmount(ctx: CaptureContext): string {
  return (BigInt(ctx.authorizedAmount) - BigInt(ctx.capturedAmount)).toString();
}

export function isPastDeadline(ctx: CaptureContext, at: string): boolean {
  return Date.parse(at) >= Date.parse(ctx.captureDeadline);
}

/** Own attempts only: an id is acquirer input, and "constructor" must not find Object.prototype. */
export function attemptOf(ctx: CaptureContext, id: string): AttemptRecord | undefined {
  return Object.hasOwn(ctx.attempts, id) ? ctx.attempts[id] : undefined;
}

export function withAttempt(ctx: CaptureContext, id: string, attempt: AttemptRecord): CaptureContext {
  return { ...ctx, attempts: { ...ctx.attempts, [id]: attempt } };
}

export function pendingIds(ctx: CaptureContext): string[] {
  return Object.entries(ctx.attempts)
    .filter(([, a]) => a.status === 'pending')
    .map(([id]) => id);
}

export function hasPending(ctx: CaptureContext): boolean {
  return pendingIds(ctx).length > 0;
}

/** The merchant ended the capture itself: one of our captures marked last succeeded. */
export function closedByMerchant(ctx: CaptureContext): boolean {
  return Object.values(ctx.attempts).some((a) => a.ours && a.isLast && a.status === 'succeeded');
}
