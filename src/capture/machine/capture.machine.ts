/**
 * The capture machine: one per order, pure. It is never started as an actor on a request
 * path; the service restores a stored snapshot, computes the next one with xstate's
 * `transition()`, persists it, and runs the returned `effect` actions itself after commit.
 *
 * MOVES below is the state chart: every change of state the machine can make. The rules that
 * choose among them (money, deadline, result codes) live in capture.rules.ts, named by guards.
 */
import { enqueueActions, setup } from 'xstate';
import { decide } from './capture.rules';
import {
  CAPTURE_EVENT_TYPES,
  CAPTURE_STATES,
  type CaptureContext,
  type CaptureEffect,
  type CaptureEvent,
  type CaptureEventType,
  type CaptureInput,
  type CaptureStateName,
} from './capture.types';

/** Bump when a change makes stored snapshots mean something else; stored beside each snapshot. */
export const MACHINE_VERSION = 1;

type Moves = Readonly<Partial<Record<CaptureEventType, readonly CaptureStateName[]>>>;

export const MOVES: Readonly<Record<CaptureStateName, Moves>> = {
  authorized: {
    CAPTURE_REQUESTED: ['capturePending'],
    CAPTURE_SUCCEEDED: ['captured', 'partiallyCaptured'],
    CAPTURE_FAILED: ['captureFailed', 'autoCancelled'],
    CAPTURE_PENDING: ['capturePending'],
    DEADLINE_REACHED: ['autoCancelled'],
    CANCEL_REQUESTED: ['cancelled'],
  },
  capturePending: {
    CAPTURE_SUCCEEDED: ['captured', 'partiallyCaptured', 'partiallyLapsed'],
    CAPTURE_FAILED: ['captureFailed', 'autoCancelled', 'partiallyCaptured', 'partiallyLapsed'],
    CAPTURE_ABANDONED: ['captureFailed', 'autoCancelled', 'partiallyCaptured', 'partiallyLapsed'],
  },
  partiallyCaptured: {
    CAPTURE_REQUESTED: ['capturePending'],
    CAPTURE_SUCCEEDED: ['captured'],
    CAPTURE_FAILED: ['partiallyLapsed'],
    DEADLINE_REACHED: ['partiallyLapsed'],
  },
  captureFailed: {
    CAPTURE_REQUESTED: ['capturePending'],
    CAPTURE_SUCCEEDED: ['captured', 'partiallyCaptured'],
    CAPTURE_FAILED: ['autoCancelled'],
    CAPTURE_PENDING: ['capturePending'],
    DEADLINE_REACHED: ['autoCancelled'],
    CANCEL_REQUESTED: ['cancelled'],
  },
  captured: {},
  autoCancelled: { CAPTURE_SUCCEEDED: ['captured'] },
  partiallyLapsed: { CAPTURE_SUCCEEDED: ['captured'] },
  cancelled: { CAPTURE_SUCCEEDED: ['captured'] },
};

interface FromParams {
  from: CaptureStateName;
}

function stateConfig(from: CaptureStateName) {
  const on: Record<string, unknown[]> = {};
  for (const type of CAPTURE_EVENT_TYPES) {
    const targets = [...(MOVES[from][type] ?? []), from];
    on[type] = [
      ...targets.map((to) => ({
        guard: { type: 'leadsTo', params: { from, to } },
        target: to === from ? undefined : to,
        actions: { type: 'applyRules', params: { from } },
      })),
      { actions: { type: 'refuse', params: { from } } },
    ];
  }
  return { on };
}

export const captureMachine = setup({
  types: {
    context: {} as CaptureContext,
    events: {} as CaptureEvent,
    input: {} as CaptureInput,
  },
  guards: {
    /** The rules move the order from `from` to `to` (to === from: a change of context only). */
    leadsTo: ({ context, event }, p: FromParams & { to: CaptureStateName }) => {
      const d = decide(p.from, context, event);
      return d.kind === 'apply' && d.to === p.to;
    },
  },
  actions: {
    /** Carried out by the service after commit; a no-op inside the machine. */
    effect: (_, _effect: CaptureEffect) => undefined,
    applyRules: enqueueActions(({ context, event, enqueue }, p: FromParams) => {
      const d = decide(p.from, context, event);
      if (d.kind !== 'apply') return;
      enqueue.assign(() => d.context);
      for (const effect of d.effects) enqueue({ type: 'effect', params: effect } as never);
    }),
    /** The rules said no (or "already done"): the reason travels as an effect the shell reads. */
    refuse: enqueueActions(({ context, event, enqueue }, p: FromParams) => {
      const d = decide(p.from, context, event);
      const effect: CaptureEffect =
        d.kind === 'apply'
          ? { type: 'rejected', reason: `internal: ${p.from} -> ${d.to} is not in the state chart` }
          : { type: d.kind === 'duplicate' ? 'duplicate' : 'rejected', reason: d.reason };
      enqueue({ type: 'effect', params: effect } as never);
    }),
  },
}).createMachine({
  id: 'capture',
  initial: 'authorized',
  context: ({ input }) => ({
    ...input,
    capturedAmount: '0',
    attempts: {},
    deadlineWarned: false,
    review: null,
  }),
  states: Object.fromEntries(CAPTURE_STATES.map((s) => [s, stateConfig(s)])) as never,
});
