/**
 * fast-check arbitraries for the capture machine: orders of every shape and amount (up to the
 * largest 64-bit value), and event templates that are resolved against the snapshot they hit,
 * so that a random sequence still refers to real attempts and real remaining amounts.
 */
import fc from 'fast-check';
import {
  ACQUIRERS,
  CAPTURE_MODES,
  type CaptureContext,
  type CaptureEvent,
  type CaptureInput,
} from '../../../src/capture/machine/capture-types';
import { RESULT_CODES } from '../../../src/capture/machine/result-codes';
import { MAX_MINOR_UNITS } from '../../../src/capture/money/money';
import { DEADLINE, EARLY, LATE } from './model';

const authorizedArb = fc
  .oneof(
    fc.bigInt(1n, 10_000n),
    fc.bigInt(1n, MAX_MINOR_UNITS),
    fc.bigInt(MAX_MINOR_UNITS - 1_000n, MAX_MINOR_UNITS),
  )
  .map(String);

const anyOrderArb: fc.Arbitrary<CaptureInput> = fc.record({
  acquirer: fc.constantFrom(...ACQUIRERS),
  currency: fc.constantFrom('USD', 'JPY', 'KWD', 'BRL'),
  authorizedAmount: authorizedArb,
  captureMode: fc.constantFrom(...CAPTURE_MODES),
  multiCapture: fc.boolean(),
  fullCaptureOnly: fc.nat(3).map((n) => n === 0),
  captureDeadline: fc.constant(DEADLINE),
});

/** Half the orders: every shape. The other half: the shape with the most ways to go wrong. */
export const orderArb: fc.Arbitrary<CaptureInput> = fc.oneof(
  anyOrderArb,
  anyOrderArb.map((o) => ({
    ...o,
    acquirer: 'antom' as const,
    captureMode: 'MANUAL' as const,
    multiCapture: true,
    fullCaptureOnly: false,
  })),
);

type AmountPick =
  | 'remaining'
  | 'authorized'
  | 'requested'
  | 'one'
  | 'aboveRemaining'
  | 'max'
  | 'overflow'
  | 'zero'
  | 'negative'
  | 'decimal'
  | number;

/**
 * natural: a fresh id for a request, the first pending attempt for a result (most events);
 * known: any attempt, final ones included (repeats, contradictions); unknown: one we never sent.
 */
type IdPick = { kind: 'natural' | 'known' | 'unknown'; n: number };

type EventType = CaptureEvent['type'];

export interface EventTemplate {
  type: EventType;
  id: IdPick;
  amount: AmountPick;
  otherCurrency: boolean;
  resultCode: string;
  late: boolean;
  isLast: boolean;
}

const amountArb: fc.Arbitrary<AmountPick> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<AmountPick>('requested') },
  { weight: 4, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
  { weight: 3, arbitrary: fc.constantFrom<AmountPick>('remaining', 'authorized', 'one') },
  {
    weight: 2,
    arbitrary: fc.constantFrom<AmountPick>(
      'aboveRemaining',
      'max',
      'overflow',
      'zero',
      'negative',
      'decimal',
    ),
  },
);

const idArb: fc.Arbitrary<IdPick> = fc.record({
  kind: fc.oneof(
    { weight: 6, arbitrary: fc.constant('natural' as const) },
    { weight: 2, arbitrary: fc.constant('known' as const) },
    { weight: 1, arbitrary: fc.constant('unknown' as const) },
  ),
  n: fc.nat(5),
});

export const templateArb: fc.Arbitrary<EventTemplate> = fc.record({
  type: fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom<EventType>('CAPTURE_REQUESTED', 'CAPTURE_SUCCEEDED', 'CAPTURE_FAILED'),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom<EventType>(
        'CAPTURE_PENDING',
        'CAPTURE_RESEND_REQUESTED',
        'CAPTURE_ABANDONED',
        'DEADLINE_WARNING',
        'DEADLINE_REACHED',
        'CANCEL_REQUESTED',
        'REVIEW_FLAGGED',
        'REVIEW_RESOLVED',
        'AUTHORIZATION_CONFIRMED',
      ),
    },
  ),
  id: idArb,
  amount: amountArb,
  // One event in ten reports money in another currency.
  otherCurrency: fc.nat(9).map((n) => n === 0),
  resultCode: fc.constantFrom(...Object.keys(RESULT_CODES), 'NEVER_SEEN_CODE', ''),
  late: fc.nat(4).map((n) => n === 0),
  isLast: fc.boolean(),
});

/** Ids we never sent; some are names Object.prototype also has. */
const UNKNOWN_IDS = ['acquirer-0', 'acquirer-1', 'acquirer-2', 'constructor', '__proto__', 'toString'];

function pickId(ctx: CaptureContext, id: IdPick, type: EventType): string {
  const known = Object.keys(ctx.attempts);
  const fresh = `r${known.length}`;
  if (id.kind === 'unknown') return UNKNOWN_IDS[id.n % UNKNOWN_IDS.length]!;
  if (id.kind === 'known') return known.length === 0 ? fresh : known[id.n % known.length]!;
  if (type === 'CAPTURE_REQUESTED') return fresh;
  return known.find((k) => ctx.attempts[k]!.status === 'pending') ?? known[known.length - 1] ?? fresh;
}

function pickAmount(ctx: CaptureContext, t: EventTemplate, id: string): string {
  const remaining = BigInt(ctx.authorizedAmount) - BigInt(ctx.capturedAmount);
  const pick = t.amount;
  // Number() rounds near 2^63: the result may exceed what is left, which is worth trying too.
  if (typeof pick === 'number') return BigInt(Math.max(1, Math.floor(pick * Number(remaining)))).toString();
  switch (pick) {
    case 'remaining':
      return remaining.toString();
    case 'requested': {
      // What the attempt asked for; for a new request, the rest or half of it.
      const half = remaining > 1n ? remaining / 2n : remaining;
      return (
        ctx.attempts[id]?.amount ?? (t.isLast || t.type !== 'CAPTURE_REQUESTED' ? remaining : half).toString()
      );
    }
    case 'authorized':
      return ctx.authorizedAmount;
    case 'one':
      return '1';
    case 'aboveRemaining':
      return (remaining + 1n).toString();
    case 'max':
      return MAX_MINOR_UNITS.toString();
    case 'overflow':
      return (MAX_MINOR_UNITS * 2n + 2n).toString();
    case 'zero':
      return '0';
    case 'negative':
      return '-1';
    case 'decimal':
      return '10.5';
  }
}

/** Long enough to go through several attempts, short enough to shrink well. */
export const sequenceArb = fc.array(templateArb, { maxLength: 40, size: 'max' });

export function resolveEvent(ctx: CaptureContext, t: EventTemplate): CaptureEvent {
  const at = t.late ? LATE : EARLY;
  const captureRequestId = pickId(ctx, t.id, t.type);
  const amount = {
    currency: t.otherCurrency ? (ctx.currency === 'EUR' ? 'USD' : 'EUR') : ctx.currency,
    value: pickAmount(ctx, t, captureRequestId),
  };
  switch (t.type) {
    case 'CAPTURE_REQUESTED':
      return { type: t.type, captureRequestId, amount, isLast: t.isLast, at };
    case 'CAPTURE_SUCCEEDED':
      return {
        type: t.type,
        captureRequestId,
        captureId: `c-${captureRequestId}`,
        amount,
        resultCode: 'SUCCESS',
        at,
      };
    case 'CAPTURE_FAILED':
      return { type: t.type, captureRequestId, resultCode: t.resultCode, resultMessage: 'failed', at };
    case 'CAPTURE_PENDING':
      return { type: t.type, captureRequestId, resultCode: 'CAPTURE_IN_PROCESS', at };
    case 'CAPTURE_RESEND_REQUESTED':
      return { type: t.type, captureRequestId, note: 'no answer', at };
    case 'CAPTURE_ABANDONED':
      return { type: t.type, captureRequestId, note: 'nothing at the acquirer', at };
    case 'REVIEW_FLAGGED':
      return { type: t.type, reason: t.isLast ? 'operator asked' : 'customer complained', at };
    case 'REVIEW_RESOLVED':
      return { type: t.type, note: 'checked', at };
    case 'AUTHORIZATION_CONFIRMED':
      return { type: t.type, authorizedAt: EARLY, captureDeadline: t.late ? LATE : DEADLINE, at };
    default:
      return { type: t.type, at };
  }
}
