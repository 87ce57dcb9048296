/**
 * The chart's named actions, and the setup that types the chart. A transition's action stores
 * what the rules decided (the new context) and lists what the shell must do as `effect` actions,
 * one per effect; xstate's `transition()` returns them and capture-engine.ts reads them. A
 * refusal travels the same way, as a `rejected` or `duplicate` effect with its reason.
 */
import { setup } from 'xstate';
import { captureGuards, decisionTaken, type RuleArgs } from './capture-guards';
import type { Decision } from './capture-rules';
import type { CaptureContext, CaptureEffect, CaptureEvent, CaptureInput } from './capture-types';

const typed = setup({
  types: {
    context: {} as CaptureContext,
    events: {} as CaptureEvent,
    input: {} as CaptureInput,
  },
  actions: {
    /** Carried out by the shell after commit; a no-op inside the machine. */
    effect: (_, _effect: CaptureEffect) => undefined,
  },
});

/** Carries out the decision the transition's guard read: the new context, then its effects. */
const applyDecision = typed.enqueueActions(({ context, event, enqueue }) => {
  const d = decisionTaken({ context, event });
  if (d.kind !== 'apply') throw new Error(`internal: ${event.type} applied a ${d.kind} decision`);
  enqueue.assign(d.context);
  for (const effect of d.effects) enqueue({ type: 'effect', params: effect });
});

function refusal(d: Decision, args: RuleArgs): CaptureEffect {
  if (d.kind === 'duplicate') return { type: 'duplicate', reason: d.reason };
  if (d.kind === 'reject') return { type: 'rejected', reason: d.reason };
  // The rules chose a move the chart does not list: the chart and the rules disagree.
  return { type: 'rejected', reason: `internal: ${args.event.type} -> ${d.to} is not in the state chart` };
}

/** The rules said no, or "already done": the reason goes to the shell, nothing is stored. */
const refuse = typed.enqueueActions(({ context, event, enqueue }) => {
  enqueue({ type: 'effect', params: refusal(decisionTaken({ context, event }), { context, event }) });
});

export const captureSetup = typed.extend({
  guards: captureGuards,
  actions: {
    /** A capture of ours is committed; the shell sends it (callCapture). */
    recordAttempt: applyDecision,
    /** The acquirer answered "in process" for a capture. */
    recordInProcess: applyDecision,
    /** A capture succeeded: the amount is added, the attempt closed, a review opened if needed. */
    recordCapture: applyDecision,
    /** A capture failed: the attempt closed with its result code. */
    recordFailure: applyDecision,
    /** An operator stated that a pending capture captured nothing. */
    recordAbandonment: applyDecision,
    /** The deadline came: the uncaptured remainder lapses. */
    lapseAtDeadline: applyDecision,
    /** The merchant cancelled: the shell voids the authorization (voidAuthorization). */
    cancelOrder: applyDecision,
    /** A change of the order's record only: attempts, review, warning flag, deadline, a resend. */
    recordInPlace: applyDecision,
    /** A repeat of something recorded: a `duplicate` effect, nothing stored. */
    ignoreRepeat: refuse,
    refuse,
  },
});
