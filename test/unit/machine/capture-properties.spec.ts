/**
 * Property tests: whatever sequence of events reaches an order of whatever shape and amount,
 * the money stays sound. Each step goes through the production step() on a snapshot that has
 * been through JSON, as it would have been through the database.
 */
import fc from 'fast-check';
import {
  initialSnapshot,
  type StepOutcome,
  type StoredSnapshot,
} from '../../../src/capture/machine/capture-engine';
import { MOVES } from '../../../src/capture/machine/capture-moves';
import type { CaptureEvent, CaptureInput } from '../../../src/capture/machine/capture-types';
import { orderArb, resolveEvent, sequenceArb, type EventTemplate } from './arbitraries';
import { EARLY, moneyViolations, step } from './model';

const RESULTS: readonly CaptureEvent['type'][] = ['CAPTURE_SUCCEEDED', 'CAPTURE_FAILED', 'CAPTURE_PENDING'];
const RUNS = { numRuns: 250 };

interface Run {
  input: CaptureInput;
  snapshot: StoredSnapshot;
  trace: { event: CaptureEvent; outcome: StepOutcome; before: StoredSnapshot }[];
}

/** Applies the templates one by one; every snapshot is stored as JSON and restored from it. */
function run(input: CaptureInput, templates: EventTemplate[]): Run {
  let snapshot = initialSnapshot(input);
  const trace: Run['trace'] = [];
  for (const template of templates) {
    const event = resolveEvent(snapshot.context, template);
    const before = snapshot;
    const outcome = step(JSON.parse(JSON.stringify(snapshot)) as StoredSnapshot, event);
    trace.push({ event, outcome, before });
    if (outcome.kind === 'applied') snapshot = outcome.snapshot;
  }
  return { input, snapshot, trace };
}

const fail = (why: string, r: Run, i: number): never => {
  const { event, outcome, before } = r.trace[i]!;
  throw new Error(
    `${why}\nbefore: ${JSON.stringify(before)}\nevent: ${JSON.stringify(event)}\n-> ${JSON.stringify(outcome)}`,
  );
};

describe('capture machine: properties over arbitrary event sequences', () => {
  it('captured stays within 0..authorized, in the order currency, equal to the successful attempts; states fit the money; snapshots survive JSON', () => {
    fc.assert(
      fc.property(orderArb, sequenceArb, (input, templates) => {
        const r = run(input, templates);
        r.trace.forEach(({ outcome }, i) => {
          if (outcome.kind !== 'applied') return;
          const problems = moneyViolations(outcome.snapshot, input);
          if (problems.length > 0) fail(problems.join('; '), r, i);
        });
      }),
      RUNS,
    );
  });

  it('every outcome is typed: applied within the chart, or refused with a reason; the same event on the unserialized snapshot agrees', () => {
    fc.assert(
      fc.property(orderArb, sequenceArb, (input, templates) => {
        const r = run(input, templates);
        r.trace.forEach(({ event, outcome, before }, i) => {
          if (JSON.stringify(step(before, event)) !== JSON.stringify(outcome))
            fail('JSON changed the outcome', r, i);
          if (outcome.kind === 'applied') {
            const allowed = [outcome.from, ...(MOVES[outcome.from][event.type] ?? [])];
            if (!allowed.includes(outcome.to)) fail('a move outside the chart', r, i);
          } else if (!/\S/.test(outcome.reason) || outcome.reason.startsWith('internal:')) {
            fail('a refusal without a proper reason', r, i);
          }
        });
      }),
      RUNS,
    );
  });

  it('captured never decreases, and a failure never changes it', () => {
    fc.assert(
      fc.property(orderArb, sequenceArb, (input, templates) => {
        const r = run(input, templates);
        r.trace.forEach(({ event, outcome, before }, i) => {
          if (outcome.kind !== 'applied') return;
          const was = BigInt(before.context.capturedAmount);
          const now = BigInt(outcome.snapshot.context.capturedAmount);
          if (now < was) fail('captured went down', r, i);
          if (event.type === 'CAPTURE_FAILED' && now !== was) fail('a failure moved money', r, i);
          if (event.type !== 'CAPTURE_SUCCEEDED' && now !== was) fail('money moved without a success', r, i);
        });
      }),
      RUNS,
    );
  });

  it('a result repeated right away is a duplicate; every final attempt stays final', () => {
    fc.assert(
      fc.property(orderArb, sequenceArb, (input, templates) => {
        const r = run(input, templates);
        r.trace.forEach(({ event, outcome }, i) => {
          if (outcome.kind !== 'applied' || !RESULTS.includes(event.type)) return;
          const again = step(outcome.snapshot, event);
          if (again.kind !== 'duplicate') fail(`a repeated ${event.type} was ${again.kind}`, r, i);
        });
        for (const [captureRequestId, a] of Object.entries(r.snapshot.context.attempts)) {
          const repeat: CaptureEvent | null =
            a.status === 'succeeded'
              ? {
                  type: 'CAPTURE_SUCCEEDED',
                  captureRequestId,
                  amount: { currency: input.currency, value: a.amount },
                  at: EARLY,
                }
              : a.status === 'failed'
                ? { type: 'CAPTURE_FAILED', captureRequestId, resultCode: a.resultCode ?? '', at: EARLY }
                : null;
          if (repeat) expect(step(r.snapshot, repeat)).toMatchObject({ kind: 'duplicate' });
        }
      }),
      RUNS,
    );
  });

  it('an order never becomes shippable with less captured than authorized, unless our own last capture closed it', () => {
    const shippable = (s: StoredSnapshot) => s.value === 'captured' && s.context.review === null;
    fc.assert(
      fc.property(orderArb, sequenceArb, (input, templates) => {
        const r = run(input, templates);
        r.trace.forEach(({ event, outcome, before }, i) => {
          // An operator closing a review decides for themselves; every other step must hold.
          if (outcome.kind !== 'applied' || event.type === 'REVIEW_RESOLVED') return;
          if (shippable(before) || !shippable(outcome.snapshot)) return;
          const ctx = outcome.snapshot.context;
          const closed = Object.values(ctx.attempts).some(
            (a) => a.ours && a.isLast && a.status === 'succeeded',
          );
          if (ctx.capturedAmount !== ctx.authorizedAmount && !closed) {
            fail(`shippable with ${ctx.capturedAmount} of ${ctx.authorizedAmount} captured`, r, i);
          }
        });
      }),
      RUNS,
    );
  });

  it('only our own requests on MANUAL orders ask the shell to capture, within what is left', () => {
    fc.assert(
      fc.property(orderArb, sequenceArb, (input, templates) => {
        const r = run(input, templates);
        r.trace.forEach(({ event, outcome, before }, i) => {
          if (outcome.kind !== 'applied') return;
          for (const effect of outcome.effects) {
            if (effect.type !== 'callCapture') continue;
            if (input.captureMode === 'AUTOMATIC') fail('callCapture for an AUTOMATIC order', r, i);
            if (event.type !== 'CAPTURE_REQUESTED') fail(`callCapture from ${event.type}`, r, i);
            const left = BigInt(before.context.authorizedAmount) - BigInt(before.context.capturedAmount);
            if (BigInt(effect.amount.value) > left || effect.amount.currency !== input.currency) {
              fail('callCapture beyond the remaining authorization', r, i);
            }
            if (input.fullCaptureOnly && effect.amount.value !== input.authorizedAmount) {
              fail('a partial capture of a full-capture-only method', r, i);
            }
          }
        });
      }),
      RUNS,
    );
  });
});
