/**
 * The (state x event) table: from a real snapshot in every state (reached through step() on
 * the shortest path xstate/graph finds), every event type in many variants is either applied
 * to a state the chart allows or refused with a reason. Nothing throws, nothing lands in a
 * state outside MOVES.
 */
import { getShortestPaths } from 'xstate/graph';
import { initialSnapshot, type StoredSnapshot } from '../../../src/capture/machine/capture-engine';
import { captureMachine } from '../../../src/capture/machine/capture-machine';
import { MOVES } from '../../../src/capture/machine/capture-moves';
import {
  CAPTURE_EVENT_TYPES,
  CAPTURE_STATES,
  type CaptureContext,
  type CaptureEvent,
  type CaptureEventType,
  type CaptureInput,
  type CaptureStateName,
} from '../../../src/capture/machine/capture-types';
import {
  asCaptureEvent,
  EARLY,
  expectMoneyInvariants,
  LATE,
  MODEL_CONFIGS,
  modelEvents,
  step,
} from './model';

type Variants = (ctx: CaptureContext) => CaptureEvent[];

const money = (ctx: CaptureContext, value: string, currency = ctx.currency) => ({ currency, value });
const remaining = (ctx: CaptureContext) =>
  (BigInt(ctx.authorizedAmount) - BigInt(ctx.capturedAmount)).toString();
const knownIds = (ctx: CaptureContext) => Object.keys(ctx.attempts);
const anyIds = (ctx: CaptureContext) => [...knownIds(ctx), 'never-sent'];
const otherCurrency = (ctx: CaptureContext) => (ctx.currency === 'EUR' ? 'USD' : 'EUR');

/** A Record, so a new event type does not compile until the table covers it. */
const VARIANTS: Record<CaptureEventType, Variants> = {
  CAPTURE_REQUESTED: (ctx) =>
    [
      money(ctx, remaining(ctx)),
      money(ctx, '1'),
      money(ctx, ctx.authorizedAmount),
      money(ctx, (BigInt(remaining(ctx)) + 1n).toString()),
      money(ctx, '0'),
      money(ctx, '-5'),
      money(ctx, '1.5'),
      money(ctx, '1', otherCurrency(ctx)),
    ].flatMap((amount) => [
      { type: 'CAPTURE_REQUESTED', captureRequestId: 'fresh', amount, at: EARLY },
      { type: 'CAPTURE_REQUESTED', captureRequestId: 'fresh', amount, isLast: true, at: EARLY },
      { type: 'CAPTURE_REQUESTED', captureRequestId: 'fresh', amount, at: LATE },
      ...knownIds(ctx).map((id): CaptureEvent => ({
        type: 'CAPTURE_REQUESTED',
        captureRequestId: id,
        amount,
        at: EARLY,
      })),
    ]),
  CAPTURE_SUCCEEDED: (ctx) =>
    anyIds(ctx).flatMap((id) =>
      [
        money(ctx, ctx.attempts[id]?.amount ?? remaining(ctx)),
        money(ctx, '1'),
        money(ctx, ctx.authorizedAmount),
        money(ctx, '0'),
        money(ctx, 'abc'),
        money(ctx, '1', otherCurrency(ctx)),
      ].map((amount): CaptureEvent => ({
        type: 'CAPTURE_SUCCEEDED',
        captureRequestId: id,
        captureId: 'c',
        amount,
        at: EARLY,
      })),
    ),
  CAPTURE_FAILED: (ctx) =>
    anyIds(ctx).flatMap((id) =>
      ['USER_BALANCE_NOT_ENOUGH', 'AUTH_EXPIRED', 'PROCESS_FAIL', 'NEVER_SEEN_CODE', ''].map(
        (resultCode): CaptureEvent => ({
          type: 'CAPTURE_FAILED',
          captureRequestId: id,
          resultCode,
          at: EARLY,
        }),
      ),
    ),
  CAPTURE_PENDING: (ctx) =>
    anyIds(ctx).map((id): CaptureEvent => ({ type: 'CAPTURE_PENDING', captureRequestId: id, at: EARLY })),
  CAPTURE_RESEND_REQUESTED: (ctx) =>
    anyIds(ctx).flatMap((id): CaptureEvent[] => [
      { type: 'CAPTURE_RESEND_REQUESTED', captureRequestId: id, note: 'no answer yet', at: EARLY },
      { type: 'CAPTURE_RESEND_REQUESTED', captureRequestId: id, at: LATE },
    ]),
  CAPTURE_ABANDONED: (ctx) =>
    anyIds(ctx).flatMap((id): CaptureEvent[] => [
      { type: 'CAPTURE_ABANDONED', captureRequestId: id, note: 'nothing at the acquirer', at: EARLY },
      { type: 'CAPTURE_ABANDONED', captureRequestId: id, note: 'nothing at the acquirer', at: LATE },
    ]),
  DEADLINE_WARNING: () => [{ type: 'DEADLINE_WARNING', at: EARLY }],
  DEADLINE_REACHED: () => [
    { type: 'DEADLINE_REACHED', at: EARLY },
    { type: 'DEADLINE_REACHED', at: LATE },
  ],
  CANCEL_REQUESTED: () => [{ type: 'CANCEL_REQUESTED', reason: 'customer changed their mind', at: EARLY }],
  REVIEW_FLAGGED: (ctx) => [
    { type: 'REVIEW_FLAGGED', reason: 'operator asked', at: EARLY },
    ...(ctx.review ? [{ type: 'REVIEW_FLAGGED' as const, reason: ctx.review.reason, at: EARLY }] : []),
  ],
  REVIEW_RESOLVED: () => [{ type: 'REVIEW_RESOLVED', note: 'checked with the acquirer', at: EARLY }],
  AUTHORIZATION_CONFIRMED: (ctx) => [
    { type: 'AUTHORIZATION_CONFIRMED', authorizedAt: EARLY, captureDeadline: ctx.captureDeadline, at: EARLY },
    { type: 'AUTHORIZATION_CONFIRMED', authorizedAt: EARLY, captureDeadline: LATE, at: EARLY },
  ],
};

/** A real snapshot in each state, for every order shape that can reach it. */
function representatives(): Map<CaptureStateName, { input: CaptureInput; snapshot: StoredSnapshot }[]> {
  const found = new Map<CaptureStateName, { input: CaptureInput; snapshot: StoredSnapshot }[]>();
  for (const input of Object.values(MODEL_CONFIGS)) {
    const paths = getShortestPaths(captureMachine, {
      input,
      events: (s) => modelEvents(s),
      serializeState: (s) => JSON.stringify([s.value, s.context.review !== null]),
    });
    for (const path of paths) {
      let snapshot = initialSnapshot(input);
      for (const { event } of path.steps.slice(1)) {
        const outcome = step(snapshot, asCaptureEvent(event));
        if (outcome.kind !== 'applied') throw new Error(`${event.type}: ${outcome.kind}`);
        snapshot = outcome.snapshot;
      }
      found.set(snapshot.value, [...(found.get(snapshot.value) ?? []), { input, snapshot }]);
    }
  }
  return found;
}

const REPRESENTATIVES = representatives();
const TABLE = CAPTURE_STATES.flatMap((state) => CAPTURE_EVENT_TYPES.map((type) => [state, type] as const));

describe('capture machine: every (state, event) pair is handled or explicitly refused', () => {
  it('every state is reachable', () => {
    expect([...REPRESENTATIVES.keys()].sort()).toEqual([...CAPTURE_STATES].sort());
  });

  it.each(TABLE)('%s x %s', (state, type) => {
    const outcomes = { applied: 0, refused: 0 };
    for (const { input, snapshot } of REPRESENTATIVES.get(state) ?? []) {
      for (const event of VARIANTS[type](snapshot.context)) {
        const outcome = step(snapshot, event);
        if (outcome.kind === 'applied') {
          outcomes.applied += 1;
          expect(outcome.from).toBe(state);
          expect([state, ...(MOVES[state][type] ?? [])]).toContain(outcome.to);
          expectMoneyInvariants(outcome.snapshot, input);
        } else {
          outcomes.refused += 1;
          expect(outcome.state).toBe(state);
          expect(outcome.reason).toMatch(/\S/);
          expect(outcome.reason).not.toMatch(/^internal:/);
        }
      }
    }
    expect(outcomes.applied + outcomes.refused).toBeGreaterThan(0);
  });

  it('a refused event leaves no trace: step() returns no snapshot to store', () => {
    const { snapshot } = (REPRESENTATIVES.get('captured') ?? [])[0]!;
    const outcome = step(snapshot, { type: 'CANCEL_REQUESTED', at: EARLY });
    expect(outcome).toEqual({
      kind: 'rejected',
      state: 'captured',
      reason: expect.stringMatching(/captured/),
    });
  });
});
