/**
 * Shared vocabulary of the machine tests: order inputs, a finite event model for graph
 * traversal, and the money invariants every reachable snapshot must satisfy.
 */
import {
  initialSnapshot,
  step,
  type StepOutcome,
  type StoredSnapshot,
} from '../../../src/capture/machine/capture-engine';
import {
  CAPTURE_EVENT_TYPES,
  type CaptureEvent,
  type CaptureInput,
  type CaptureStateName,
} from '../../../src/capture/machine/capture-types';
import { isMinorUnits } from '../../../src/capture/money/money';

export const DEADLINE = '2025-01-08T00:00:00.000Z';
export const EARLY = '2025-01-02T00:00:00.000Z';
export const LATE = '2025-01-09T00:00:00.000Z';

export function orderInput(overrides: Partial<CaptureInput> = {}): CaptureInput {
  return {
    acquirer: 'antom',
    currency: 'USD',
    authorizedAmount: '1000',
    captureMode: 'MANUAL',
    multiCapture: false,
    fullCaptureOnly: false,
    captureDeadline: DEADLINE,
    ...overrides,
  };
}

/** The order shapes whose union reaches every transition of the chart. */
export const MODEL_CONFIGS: Record<string, CaptureInput> = {
  'antom MANUAL multi-capture': orderInput({ multiCapture: true }),
  'antom MANUAL single capture': orderInput(),
  'antom MANUAL full-capture-only': orderInput({ fullCaptureOnly: true }),
  'antom AUTOMATIC multi-capture': orderInput({ captureMode: 'AUTOMATIC', multiCapture: true }),
  'antom AUTOMATIC single capture': orderInput({ captureMode: 'AUTOMATIC' }),
  'payermax MANUAL': orderInput({ acquirer: 'payermax' }),
  'payermax AUTOMATIC': orderInput({ acquirer: 'payermax', captureMode: 'AUTOMATIC' }),
};

const REQUEST_IDS = ['r1', 'r2'];
/** Attempts an order may accumulate in the model; keeps the graph finite and small. */
const MAX_ATTEMPTS = 2;
const PARTIAL = 300n;

interface ModelSnapshot {
  value: unknown;
  context: StoredSnapshot['context'];
}

/**
 * A finite, state-dependent alphabet of the events that can change the chart state: our next
 * request (full or partial), every kind of result for each pending attempt and for one attempt
 * we never sent, an operator's resend and abandon of a pending attempt, the deadline (early and
 * late) and a cancel. Events that only touch the context (warnings,
 * reviews, duplicates, refusals) are the table test's and the property tests' business.
 */
export function modelEvents(snapshot: ModelSnapshot): CaptureEvent[] {
  const ctx = snapshot.context;
  const remaining = BigInt(ctx.authorizedAmount) - BigInt(ctx.capturedAmount);
  const amounts = [remaining, ...(PARTIAL < remaining ? [PARTIAL] : [])]
    .filter((v) => v > 0n)
    .map((v) => ({ currency: ctx.currency, value: v.toString() }));
  const ids = Object.keys(ctx.attempts);
  const events: CaptureEvent[] = [];

  const nextRequest = REQUEST_IDS.find((id) => !ctx.attempts[id]);
  if (nextRequest) {
    for (const amount of amounts) {
      events.push({ type: 'CAPTURE_REQUESTED', captureRequestId: nextRequest, amount, at: EARLY });
    }
  }
  for (const [id, attempt] of Object.entries(ctx.attempts)) {
    if (attempt.status === 'pending') {
      events.push(...results(id, [{ currency: ctx.currency, value: attempt.amount }]));
      events.push(
        { type: 'CAPTURE_RESEND_REQUESTED', captureRequestId: id, note: 'no answer', at: LATE },
        { type: 'CAPTURE_ABANDONED', captureRequestId: id, note: 'nothing at the acquirer', at: LATE },
      );
    }
  }
  if (ids.length < MAX_ATTEMPTS) events.push(...results(`acq-${ids.length + 1}`, amounts));
  events.push({ type: 'DEADLINE_REACHED', at: LATE }, { type: 'CANCEL_REQUESTED', at: EARLY });
  return events;
}

function results(id: string, amounts: { currency: string; value: string }[]): CaptureEvent[] {
  return [
    ...amounts.map((amount): CaptureEvent => ({
      type: 'CAPTURE_SUCCEEDED',
      captureRequestId: id,
      amount,
      at: EARLY,
    })),
    { type: 'CAPTURE_FAILED', captureRequestId: id, resultCode: 'USER_BALANCE_NOT_ENOUGH', at: EARLY },
    { type: 'CAPTURE_FAILED', captureRequestId: id, resultCode: 'AUTH_EXPIRED', at: EARLY },
    { type: 'CAPTURE_PENDING', captureRequestId: id, at: EARLY },
  ];
}

/**
 * The graph's notion of "same state": the chart state and the money-relevant shape of the
 * context. Review wording, result codes and capture ids are left out so the graph stays small;
 * every path the graph yields is still a real sequence of events from the initial snapshot.
 */
export function modelKey(snapshot: ModelSnapshot): string {
  const ctx = snapshot.context;
  const attempts = Object.entries(ctx.attempts)
    .map(([id, a]) => `${id}:${a.status}:${a.amount}:${a.isLast}`)
    .sort();
  return JSON.stringify([snapshot.value, ctx.capturedAmount, attempts, ctx.deadlinePassed === true]);
}

/**
 * The money facts that hold in every snapshot, whatever happened before. Plain checks (not
 * expect) because the graph and property tests run them tens of thousands of times.
 */
export function moneyViolations(snapshot: StoredSnapshot, input: CaptureInput): string[] {
  const ctx = snapshot.context;
  const problems: string[] = [];
  if (!isMinorUnits(ctx.capturedAmount, true))
    return [`captured ${String(ctx.capturedAmount)} is not minor units`];
  const captured = BigInt(ctx.capturedAmount);
  const authorized = BigInt(input.authorizedAmount);
  if (captured > authorized) problems.push('captured exceeds authorized');
  // The order's identity never changes (the deadline may: the acquirer can confirm it).
  for (const key of IDENTITY) {
    if (ctx[key] !== input[key]) problems.push(`${key} changed from ${input[key]} to ${ctx[key]}`);
  }
  // Captured is exactly the sum of the successful attempts: no money without a record.
  const succeeded = Object.values(ctx.attempts)
    .filter((a) => a.status === 'succeeded')
    .reduce((sum, a) => sum + BigInt(a.amount), 0n);
  if (succeeded !== captured) problems.push(`attempts add up to ${succeeded}, captured is ${captured}`);
  const pending = Object.values(ctx.attempts).some((a) => a.status === 'pending');
  const stateFits: Record<CaptureStateName, boolean> = {
    authorized: captured === 0n,
    capturePending: pending && captured < authorized,
    partiallyCaptured: captured > 0n && captured < authorized && !pending,
    captured: captured > 0n,
    captureFailed: captured === 0n && !pending,
    autoCancelled: captured === 0n,
    partiallyLapsed: captured > 0n && captured < authorized && !pending,
    cancelled: captured === 0n,
  };
  if (!stateFits[snapshot.value]) problems.push(`state ${snapshot.value} contradicts captured ${captured}`);
  if (!isJsonSafe(snapshot)) problems.push('the snapshot does not survive a JSON round trip');
  return problems;
}

const IDENTITY = [
  'acquirer',
  'currency',
  'authorizedAmount',
  'captureMode',
  'multiCapture',
  'fullCaptureOnly',
] as const;

export function expectMoneyInvariants(snapshot: StoredSnapshot, input: CaptureInput): void {
  const problems = moneyViolations(snapshot, input);
  if (problems.length > 0) {
    throw new Error(`${problems.join('; ')}\nin ${JSON.stringify(snapshot)}`);
  }
}

/** Only what JSON.stringify/parse give back unchanged (bigint, Date, NaN, Map would not). */
function isJsonSafe(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonSafe);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.values(value).every((v) => v === undefined || isJsonSafe(v));
  }
  return false;
}

/** The graph types its steps with xstate's own events too; ours are all the model sends. */
export function asCaptureEvent(event: { type: string }): CaptureEvent {
  if (!(CAPTURE_EVENT_TYPES as readonly string[]).includes(event.type)) {
    throw new Error(`not a capture event: ${event.type}`);
  }
  return event as CaptureEvent;
}

/** A rejection whose reason shows the rules wanted a move the chart does not have. */
export function isChartViolation(outcome: StepOutcome): boolean {
  return outcome.kind === 'rejected' && outcome.reason.startsWith('internal:');
}

export { step };

/** Event builders for the scenario tests: amounts in the order's currency unless told. */
export const ev = {
  request: (
    id: string,
    value: string,
    extra: { at?: string; isLast?: boolean; currency?: string } = {},
  ): CaptureEvent => ({
    type: 'CAPTURE_REQUESTED',
    captureRequestId: id,
    amount: { currency: extra.currency ?? 'USD', value },
    ...(extra.isLast === undefined ? {} : { isLast: extra.isLast }),
    at: extra.at ?? EARLY,
  }),
  success: (id: string, value: string, currency = 'USD'): CaptureEvent => ({
    type: 'CAPTURE_SUCCEEDED',
    captureRequestId: id,
    captureId: `cap-${id}`,
    amount: { currency, value },
    resultCode: 'SUCCESS',
    at: EARLY,
  }),
  failure: (id: string, resultCode: string): CaptureEvent => ({
    type: 'CAPTURE_FAILED',
    captureRequestId: id,
    resultCode,
    at: EARLY,
  }),
  pending: (id: string): CaptureEvent => ({ type: 'CAPTURE_PENDING', captureRequestId: id, at: EARLY }),
  deadline: (at = LATE): CaptureEvent => ({ type: 'DEADLINE_REACHED', at }),
  resend: (id: string, at = EARLY): CaptureEvent => ({
    type: 'CAPTURE_RESEND_REQUESTED',
    captureRequestId: id,
    note: 'no answer',
    at,
  }),
  abandon: (id: string, at = LATE): CaptureEvent => ({
    type: 'CAPTURE_ABANDONED',
    captureRequestId: id,
    note: 'the acquirer has no trace of it',
    at,
  }),
  cancel: (): CaptureEvent => ({ type: 'CANCEL_REQUESTED', at: EARLY }),
};

/** Plays events that must all be applied; returns the last outcome (effects included). */
export function play(
  input: CaptureInput,
  events: CaptureEvent[],
): Extract<StepOutcome, { kind: 'applied' }> & { all: StepOutcome[] } {
  let snapshot = initialSnapshot(input);
  const all: StepOutcome[] = [];
  for (const event of events) {
    const outcome = step(snapshot, event);
    all.push(outcome);
    if (outcome.kind !== 'applied') {
      throw new Error(`${event.type} was ${outcome.kind} in ${snapshot.value}: ${outcome.reason}`);
    }
    expectMoneyInvariants(outcome.snapshot, input);
    snapshot = outcome.snapshot;
  }
  const last = all[all.length - 1];
  if (!last || last.kind !== 'applied') throw new Error('play needs at least one event');
  return { ...last, all };
}

/** The snapshot after events that must all be applied. */
export function after(input: CaptureInput, events: CaptureEvent[]): StoredSnapshot {
  return events.length === 0 ? initialSnapshot(input) : play(input, events).snapshot;
}
