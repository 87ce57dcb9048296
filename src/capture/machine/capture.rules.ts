/**
 * The rules of capture, as pure functions: given the state an order is in, its context and an
 * event, decide what happens. The xstate machine (capture.machine.ts) owns the topology (which
 * transitions may exist); this file owns the money and deadline rules behind its guards.
 */
import { addMinor, compareMinor, isMinorUnits } from '../money/money';
import type {
  AttemptRecord,
  CaptureContext,
  CaptureEffect,
  CaptureEvent,
  CaptureStateName,
  DomainEventType,
} from './capture.types';
import { classifyFailure } from './result-codes';

export type Decision =
  | { kind: 'reject'; reason: string }
  | { kind: 'duplicate'; reason: string }
  | { kind: 'apply'; to: CaptureStateName; context: CaptureContext; effects: CaptureEffect[] };

type EventOf<T extends CaptureEvent['type']> = Extract<CaptureEvent, { type: T }>;

const FINAL: readonly CaptureStateName[] = ['captured', 'autoCancelled', 'cancelled'];
const OPEN: readonly CaptureStateName[] = [
  'authorized',
  'capturePending',
  'partiallyCaptured',
  'captureFailed',
];

const reject = (reason: string): Decision => ({ kind: 'reject', reason });
const duplicate = (reason: string): Decision => ({ kind: 'duplicate', reason });
const emit = (event: DomainEventType): CaptureEffect => ({ type: 'emit', event });

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
    case 'DEADLINE_WARNING':
      return warn(from, ctx);
    case 'DEADLINE_REACHED':
      return expire(from, ctx, event);
    case 'CANCEL_REQUESTED':
      return cancel(from, ctx);
    case 'REVIEW_FLAGGED':
      return flag(from, ctx, event.reason, event.at);
    case 'REVIEW_RESOLVED':
      return ctx.review ? apply(from, { ...ctx, review: null }) : reject('no review is open');
    case 'AUTHORIZATION_CONFIRMED':
      return confirmAuthorization(from, ctx, event);
  }
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
  if (['captureFailed', 'autoCancelled', 'cancelled'].includes(from))
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
  let next = withAttempt({ ...ctx, capturedAmount: captured }, e.captureRequestId, attempt);
  const done =
    captured === ctx.authorizedAmount || isSingleCapture(ctx) || attempt.isLast || FINAL.includes(from);
  const to: CaptureStateName = done ? 'captured' : hasPending(next) ? 'capturePending' : 'partiallyCaptured';
  const effects = [emit(to === 'captured' ? 'order.captured' : 'order.partially_captured')];
  if (reasons.length > 0) {
    next = { ...next, review: { reason: reasons.join('; '), since: e.at } };
    effects.push(emit('order.review_required'));
  }
  return apply(to, next, effects);
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
  let next = withAttempt(ctx, e.captureRequestId, attempt);
  if (!known && ctx.captureMode === 'MANUAL') {
    return flag(from, next, `failure ${e.resultCode} reported for a capture request we never sent`, e.at);
  }
  if (FINAL.includes(from)) return apply(from, next);

  const kind = classifyFailure(e.resultCode);
  const anyCaptured = ctx.capturedAmount !== '0';
  let to: CaptureStateName;
  if (kind === 'authGone') to = anyCaptured ? 'captured' : 'autoCancelled';
  else if (hasPending(next)) to = 'capturePending';
  else to = anyCaptured ? 'partiallyCaptured' : 'captureFailed';

  const effects = [emit('order.capture_failed')];
  if (to === 'autoCancelled') effects.push(emit('order.auto_cancelled'));
  if (to === 'captured') effects.push(emit('order.captured'));
  if (kind === 'needsHuman') {
    next = {
      ...next,
      review: { reason: `capture failed with ${e.resultCode}; it needs a human`, since: e.at },
    };
    effects.push(emit('order.review_required'));
  }
  return apply(to, next, effects);
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

function warn(from: CaptureStateName, ctx: CaptureContext): Decision {
  if (!OPEN.includes(from)) return reject(`the order is ${from}; no deadline applies`);
  if (ctx.deadlineWarned) return duplicate('the deadline warning already went out');
  return apply(from, { ...ctx, deadlineWarned: true }, [emit('order.capture_deadline_approaching')]);
}

function expire(from: CaptureStateName, ctx: CaptureContext, e: EventOf<'DEADLINE_REACHED'>): Decision {
  if (!OPEN.includes(from)) return reject(`the order is ${from}; no deadline applies`);
  if (!isPastDeadline(ctx, e.at)) return reject('the capture deadline has not been reached');
  // What was captured stays captured (also with a further attempt in flight); only the
  // uncaptured remainder lapses.
  if (ctx.capturedAmount !== '0') return apply('captured', ctx, [emit('order.captured')]);
  return apply('autoCancelled', ctx, [emit('order.auto_cancelled')]);
}

function confirmAuthorization(
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

function flag(from: CaptureStateName, ctx: CaptureContext, reason: string, at: string): Decision {
  if (ctx.review?.reason === reason) return duplicate('this review is already open');
  return apply(from, { ...ctx, review: { reason, since: at } }, [emit('order.review_required')]);
}

function apply(to: CaptureStateName, context: CaptureContext, effects: CaptureEffect[] = []): Decision {
  return { kind: 'apply', to, context, effects };
}

/** Own attempts only: an id is acquirer input, and "constructor" must not find Object.prototype. */
function attemptOf(ctx: CaptureContext, id: string): AttemptRecord | undefined {
  return Object.hasOwn(ctx.attempts, id) ? ctx.attempts[id] : undefined;
}

function withAttempt(ctx: CaptureContext, id: string, attempt: AttemptRecord): CaptureContext {
  return { ...ctx, attempts: { ...ctx.attempts, [id]: attempt } };
}

function hasPending(ctx: CaptureContext): boolean {
  return Object.values(ctx.attempts).some((a) => a.status === 'pending');
}
