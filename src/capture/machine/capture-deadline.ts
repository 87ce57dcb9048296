/**
 * The deadline rules: the warning, and how an authorization ends. When it ends, what was
 * captured stays captured; the uncaptured remainder lapses, and an order whose remainder lapsed
 * (rather than the merchant closing it with its own last capture) must not ship: it ends
 * `partiallyLapsed`, under review. A capture of ours still without a definite answer at the
 * deadline may have moved money, so the order waits for it, under review, instead of lapsing.
 */
import type { CaptureContext, CaptureEffect, CaptureEvent, CaptureStateName } from './capture-types';
import {
  apply,
  closedByMerchant,
  duplicate,
  emit,
  isPastDeadline,
  OPEN,
  pendingIds,
  reject,
  remainingAmount,
  type Decision,
} from './rule-kit';

type EventOf<T extends CaptureEvent['type']> = Extract<CaptureEvent, { type: T }>;

const UNRESOLVED_PREFIX = 'deadline passed with capture';

function unresolvedReason(ids: string[]): string {
  return `${UNRESOLVED_PREFIX} ${ids.join(', ')} unresolved; money may have moved`;
}

function lapsedReason(ctx: CaptureContext): string {
  return (
    `the authorization ended with ${ctx.capturedAmount} of ${ctx.authorizedAmount} captured; ` +
    `${remainingAmount(ctx)} lapsed`
  );
}

export function warn(from: CaptureStateName, ctx: CaptureContext): Decision {
  if (!OPEN.includes(from)) return reject(`the order is ${from}; no deadline applies`);
  if (ctx.deadlineWarned) return duplicate('the deadline warning already went out');
  return apply(from, { ...ctx, deadlineWarned: true }, [emit('order.capture_deadline_approaching')]);
}

export function expire(
  from: CaptureStateName,
  ctx: CaptureContext,
  e: EventOf<'DEADLINE_REACHED'>,
): Decision {
  if (!OPEN.includes(from)) return reject(`the order is ${from}; no deadline applies`);
  if (!isPastDeadline(ctx, e.at)) return reject('the capture deadline has not been reached');
  const unresolved = pendingIds(ctx);
  if (ctx.deadlinePassed) {
    return duplicate(`the deadline was already reached; waiting for capture ${unresolved.join(', ')}`);
  }
  if (unresolved.length > 0) {
    const review = { reason: unresolvedReason(unresolved), since: e.at };
    return apply(from, { ...ctx, deadlinePassed: true, review }, [emit('order.review_required')]);
  }
  return lapse(ctx, e.at);
}

/**
 * The authorization is over and nothing of ours is in flight: nothing captured lapses whole,
 * all of it or a merchant's last capture is captured, anything else lapsed in part.
 */
export function lapse(ctx: CaptureContext, at: string, effects: CaptureEffect[] = []): Decision {
  const next = answered(ctx);
  if (ctx.capturedAmount === '0')
    return apply('autoCancelled', next, [...effects, emit('order.auto_cancelled')]);
  if (ctx.capturedAmount === ctx.authorizedAmount || closedByMerchant(ctx)) {
    return apply('captured', next, [...effects, emit('order.captured')]);
  }
  return apply('partiallyLapsed', { ...next, review: { reason: lapsedReason(ctx), since: at } }, [
    ...effects,
    emit('order.partially_lapsed'),
    emit('order.review_required'),
  ]);
}

/** The deadline review is answered once none of the captures it waited for is pending. */
export function answered(ctx: CaptureContext): CaptureContext {
  if (!ctx.review?.reason.startsWith(UNRESOLVED_PREFIX) || pendingIds(ctx).length > 0) return ctx;
  return { ...ctx, review: null };
}

export function confirmAuthorization(
  from: CaptureStateName,
  ctx: CaptureContext,
  e: EventOf<'AUTHORIZATION_CONFIRMED'>,
): Decision {
  if (!OPEN.includes(from))
    return duplicate(`the order is ${from}; its authorization time no longer matters`);
  if (ctx.captureDeadline === e.captureDeadline)
    return duplicate('the authorization time is already confirmed');
  return apply(from, { ...ctx, captureDeadline: e.captureDeadline });
}
