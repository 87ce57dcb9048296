/**
 * The rules of capture, as pure functions: given the state an order is in, its context and an
 * event, decide what happens. The xstate machine (capture-machine.ts) owns the topology (which
 * transitions may exist); this file and capture-deadline.ts own the money and deadline rules
 * behind its guards.
 */
import { addMinor, compareMinor, isMinorUnits } from '../money/money';
import { answered, confirmAuthorization, expire, lapse, warn } from './capture-deadline';
import type { AttemptRecord, CaptureContext, CaptureEvent, CaptureStateName } from './capture-types';
import { classifyFailure } from './result-codes';
import {
  apply,
  attemptOf,
  duplicate,
  emit,
  FINAL,
  flag,
  hasPending,
  isPastDeadline,
  isSingleCapture,
  OPEN,
  pendingIds,
  reject,
  remainingAmount,
  withAttempt,
  type Decision,
} from './rule-kit';

export type { Decision };

/** The result code an abandoned attempt is recorded with. */
export const ABANDONED_BY_OPERATOR = 'ABANDONED_BY_OPERATOR';

type EventOf<T extends CaptureEvent['type']> = Extract<CaptureEvent, { type: T }>;

export function decide(from: CaptureStateName, ctx: CaptureContext, event: CaptureEvent): Decision {
  switch (event.type) {
    case 'CAPTURE_REQUESTED':
      return requestCapture(from, ctx, event);
    case 'CAPTURE_SUCCEEDED':
      return succeed(from, ctx, event);
    case 'CAPTURE_FAILED':
      return fail(from, ctx, event);
    case 'CAPTURE_PENDING':
      return pending(from, ctx, event);
    case 'CAPTURE_RESEND_REQUESTED':
      return resend(from, ctx, event);
    case 'CAPTURE_ABANDONED':
      return abandon(from, ctx, event);
    case 'DEADLINE_WARNING':
      return warn(from, ctx);
    case 'DEADLINE_REACHED':
      return expire(from, ctx, event);
    case 'CANCEL_REQUESTED':
      return cancel(from, ctx);
    case 'REVIEW_FLAGGED':
      return flag(from, ctx, event.reason, event.at);
    case 'REVIEW_RESOLVED':
      return resolveReview(from, ctx);
    case 'AUTHORIZATION_CONFIRMED':
      return confirmAuthorization(from, ctx, event);
  }
}

function requestCapture(
  from: CaptureStateName,
  ctx: CaptureContext,
  e: EventOf<'CAPTURE_REQUESTED'>,
): Decision {
  if (from === 'capturePending') return reject('a capture attempt is already in flight');
  if (!OPEN.includes(from)) return reject(`the order is ${from}; no capture can be requested`);
  if (ctx.captureMode === 'AUTOMATIC') return reject('AUTOMATIC orders are captured by the acquirer itself');
  if (isPastDeadline(ctx, e.at)) return reject('the capture deadline has passed');
  if (attemptOf(ctx, e.captureRequestId))
    return reject('captureRequestId was already used; a retry needs a new one');
  if (e.amount.currency !== ctx.currency) return reject(`currency must be ${ctx.currency}`);
  if (!isMinorUnits(e.amount.value)) return reject('amount must be a positive integer in minor units');
  const remaining = remainingAmount(ctx);
  if (compareMinor(e.amount.value, remaining) > 0) {
    return reject(`amount exceeds the remaining authorized amount (${remaining})`);
  }
  if (ctx.fullCaptureOnly && e.amount.value !== ctx.authorizedAmount) {
    return reject(`this payment method captures the full authorized amount (${ctx.authorizedAmount}) only`);
  }
  const isLast = isSingleCapture(ctx) || e.isLast === true || e.amount.value === remaining;
  const attempt: AttemptRecord = { amount: e.amount.value, status: 'pending', ours: true, isLast };
  return apply('capturePending', withAttempt(ctx, e.captureRequestId, attempt), [
    { type: 'callCapture', captureRequestId: e.captureRequestId, amount: e.amount, isLast },
  ]);
}

function succeed(from: CaptureStateName, ctx: CaptureContext, e: EventOf<'CAPTURE_SUCCEEDED'>): Decision {
  const known = attemptOf(ctx, e.captureRequestId);
  if (known?.status === 'succeeded') return duplicate('this capture is already recorded as successful');
  if (e.amount.currency !== ctx.currency) {
    return flag(
      from,
      ctx,
      `capture reported in ${e.amount.currency}, the order is in ${ctx.currency}; not applied`,
      e.at,
    );
  }
  if (!isMinorUnits(e.amount.value)) return reject('amount must be a positive integer in minor units');
  const captured = addMinor(ctx.capturedAmount, e.amount.value);
  if (compareMinor(captured, ctx.authorizedAmount) > 0) {
    return flag(
      from,
      ctx,
      `reported capture of ${e.amount.value} would exceed the authorized amount; not applied`,
      e.at,
    );
  }
  const reasons: string[] = [];
  if (['captureFailed', 'autoCancelled', 'partiallyLapsed', 'cancelled'].includes(from))
    reasons.push(`success arrived after the order was ${from}`);
  if (from === 'captured') reasons.push('another capture arrived after the order was captured');
  if (!known && ctx.captureMode === 'MANUAL') reasons.push('success for a capture request we never sent');
  if (known && known.amount !== e.amount.value)
    reasons.push(`captured ${e.amount.value} where ${known.amount} was requested`);
  // With no attempt to compare with, a single capture is expected to take what is left.
  if (!known && isSingleCapture(ctx) && e.amount.value !== remainingAmount(ctx))
    reasons.push(`captured ${e.amount.value} where ${remainingAmount(ctx)} was left to capture`);

  const attempt: AttemptRecord = {
    amount: e.amount.value,
    status: 'succeeded',
    ours: known?.ours ?? false,
    isLast: known?.isLast ?? false,
    captureId: e.captureId,
    resultCode: e.resultCode,
  };
  const next = withAttempt({ ...ctx, capturedAmount: captured }, e.captureRequestId, attempt);
  const done =
    captured === ctx.authorizedAmount || isSingleCapture(ctx) || attempt.isLast || FINAL.includes(from);
  let d: Decision;
  if (done) d = apply('captured', answered(next), [emit('order.captured')]);
  else if (next.deadlinePassed && !hasPending(next)) d = lapse(next, e.at);
  else
    d = apply(hasPending(next) ? 'capturePending' : 'partiallyCaptured', next, [
      emit('order.partially_captured'),
    ]);
  return reasons.length === 0 ? d : withReview(d, reasons.join('; '), e.at);
}

function fail(from: CaptureStateName, ctx: CaptureContext, e: EventOf<'CAPTURE_FAILED'>): Decision {
  const known = attemptOf(ctx, e.captureRequestId);
  if (known?.status === 'failed') return duplicate('this capture is already recorded as failed');
  if (known?.status === 'succeeded') {
    return flag(
      from,
      ctx,
      `failure ${e.resultCode} reported for a capture already recorded as successful`,
      e.at,
    );
  }
  const attempt: AttemptRecord = {
    amount: known?.amount ?? '0',
    status: 'failed',
    ours: known?.ours ?? false,
    isLast: known?.isLast ?? false,
    resultCode: e.resultCode,
  };
  const next = withAttempt(ctx, e.captureRequestId, attempt);
  if (!known && ctx.captureMode === 'MANUAL') {
    return flag(from, next, `failure ${e.resultCode} reported for a capture request we never sent`, e.at);
  }
  const kind = classifyFailure(e.resultCode);
  const d = afterFailure(from, next, kind === 'authGone', e.at);
  return kind === 'needsHuman' && d.kind === 'apply' && OPEN.includes(from)
    ? withReview(d, `capture failed with ${e.resultCode}; it needs a human`, e.at)
    : d;
}

/** Where a failed attempt leaves the order; `authGone`: the acquirer says the authorization is over. */
function afterFailure(from: CaptureStateName, next: CaptureContext, authGone: boolean, at: string): Decision {
  if (FINAL.includes(from)) return apply(from, next);
  const failed = emit('order.capture_failed');
  if (authGone || (next.deadlinePassed && !hasPending(next))) return lapse(next, at, [failed]);
  if (hasPending(next)) return apply('capturePending', next, [failed]);
  return apply(next.capturedAmount !== '0' ? 'partiallyCaptured' : 'captureFailed', next, [failed]);
}

/** An operator states that a pending attempt captured nothing: it fails, and needs no retry. */
function abandon(from: CaptureStateName, ctx: CaptureContext, e: EventOf<'CAPTURE_ABANDONED'>): Decision {
  const known = attemptOf(ctx, e.captureRequestId);
  if (!known) return reject(`no capture ${e.captureRequestId} on this order`);
  if (known.status !== 'pending') return reject(`capture ${e.captureRequestId} is already ${known.status}`);
  const attempt: AttemptRecord = { ...known, status: 'failed', resultCode: ABANDONED_BY_OPERATOR };
  delete attempt.inProcess;
  return afterFailure(from, answered(withAttempt(ctx, e.captureRequestId, attempt)), false, e.at);
}

/** Sends a pending attempt of ours again under its own id: the acquirer captures it at most once. */
function resend(
  from: CaptureStateName,
  ctx: CaptureContext,
  e: EventOf<'CAPTURE_RESEND_REQUESTED'>,
): Decision {
  const known = attemptOf(ctx, e.captureRequestId);
  if (!known) return reject(`no capture ${e.captureRequestId} on this order`);
  if (!known.ours)
    return reject(`capture ${e.captureRequestId} was made by the acquirer; nothing of ours to resend`);
  if (known.status !== 'pending') return reject(`capture ${e.captureRequestId} is already ${known.status}`);
  const amount = { currency: ctx.currency, value: known.amount };
  return apply(from, ctx, [
    { type: 'resendCapture', captureRequestId: e.captureRequestId, amount, isLast: known.isLast },
  ]);
}

function resolveReview(from: CaptureStateName, ctx: CaptureContext): Decision {
  if (!ctx.review) return reject('no review is open');
  // Closing the review would leave the order waiting for nothing: the capture must be settled.
  if (ctx.deadlinePassed && hasPending(ctx)) {
    return reject(
      `capture ${pendingIds(ctx).join(', ')} is still unresolved after the deadline; resend or abandon it first`,
    );
  }
  return apply(from, { ...ctx, review: null });
}

/** Opens (or widens) a review on an applied decision. */
function withReview(d: Decision, reason: string, at: string): Decision {
  if (d.kind !== 'apply') return d;
  const already = d.effects.some((x) => x.type === 'emit' && x.event === 'order.review_required');
  const full = already && d.context.review ? `${reason}; ${d.context.review.reason}` : reason;
  const effects = already ? d.effects : [...d.effects, emit('order.review_required')];
  return apply(d.to, { ...d.context, review: { reason: full, since: at } }, effects);
}

function pending(from: CaptureStateName, ctx: CaptureContext, e: EventOf<'CAPTURE_PENDING'>): Decision {
  const known = attemptOf(ctx, e.captureRequestId);
  if (known && known.status !== 'pending') return duplicate(`this capture is already ${known.status}`);
  if (known?.inProcess) return duplicate('this capture is already known to be in process');
  if (known) return apply(from, withAttempt(ctx, e.captureRequestId, { ...known, inProcess: true }));
  // The acquirer's own capture of an AUTOMATIC order, seen in process before any result.
  if (ctx.captureMode === 'AUTOMATIC' && (from === 'authorized' || from === 'captureFailed')) {
    const attempt: AttemptRecord = {
      amount: remainingAmount(ctx),
      status: 'pending',
      ours: false,
      isLast: true,
      inProcess: true,
    };
    return apply('capturePending', withAttempt(ctx, e.captureRequestId, attempt));
  }
  return reject('in-process result for a capture request we never sent');
}

function cancel(from: CaptureStateName, ctx: CaptureContext): Decision {
  if (from === 'cancelled') return duplicate('the order is already cancelled');
  if (from === 'capturePending') return reject('a capture attempt is in flight; cancel after it resolves');
  if (from === 'authorized' || from === 'captureFailed') {
    return apply('cancelled', ctx, [{ type: 'voidAuthorization' }, emit('order.cancelled')]);
  }
  if (from === 'partiallyCaptured')
    return reject('part of the amount is captured; only an uncaptured authorization can be voided');
  return reject(`the order is ${from}; it cannot be cancelled`);
}
