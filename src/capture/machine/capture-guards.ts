/**
 * The chart's named guards. Each one answers "do the rules of capture-rules.ts take this event
 * to this state?" for the one target its name stands for. The rules are asked once per event:
 * decide() runs for the first guard of a transition list and every later guard, and the action
 * of the transition taken, read that same decision.
 */
import { decide, type Decision } from './capture-rules';
import type { CaptureContext, CaptureEvent, CaptureStateName } from './capture-types';

/** What a guard or an action sees of the machine: xstate passes the context and the event. */
export interface RuleArgs {
  context: CaptureContext;
  event: CaptureEvent;
}

/** The state a transition leaves; xstate does not show a guard its state, so the chart names it. */
export interface From {
  from: CaptureStateName;
}

interface Asked {
  from: CaptureStateName;
  context: CaptureContext;
  decision: Decision;
}

// Keyed by the event object: one transition() call hands every guard and action the same event
// and context, and the entry dies with the event.
const asked = new WeakMap<CaptureEvent, Asked>();

/** The rules' decision for this event in this state, computed once. */
function decisionAt(from: CaptureStateName, { context, event }: RuleArgs): Decision {
  const known = asked.get(event);
  if (known?.from === from && known.context === context) return known.decision;
  const decision = decide(from, context, event);
  asked.set(event, { from, context, decision });
  return decision;
}

/** The decision a guard of the transition being taken has just read. */
export function decisionTaken({ context, event }: RuleArgs): Decision {
  const known = asked.get(event);
  if (known?.context !== context) throw new Error(`internal: ${event.type} was taken without a guard`);
  return known.decision;
}

function leadsTo(to: CaptureStateName) {
  return (args: RuleArgs, { from }: From): boolean => {
    const d = decisionAt(from, args);
    return d.kind === 'apply' && d.to === to;
  };
}

export const captureGuards = {
  /** A capture we may send: open, MANUAL, before the deadline, a new id, money that fits. */
  captureAllowed: leadsTo('capturePending'),
  /** The acquirer says it is capturing an AUTOMATIC order by itself. */
  acquirerCapturing: leadsTo('capturePending'),
  /** All of the authorized amount is captured, or the only / the merchant's last capture. */
  capturesEverything: leadsTo('captured'),
  /** Part of the amount is captured and more captures may follow. */
  capturesPart: leadsTo('partiallyCaptured'),
  /** The attempt failed after part of the amount was captured: that part stays. */
  keepsEarlierCaptures: leadsTo('partiallyCaptured'),
  /** The attempt failed, nothing is captured, and the authorization still stands. */
  attemptFailed: leadsTo('captureFailed'),
  /** The authorization is gone (deadline or acquirer) with nothing captured. */
  authorizationLapses: leadsTo('autoCancelled'),
  /** The authorization is gone with part captured, not closed by the merchant's last capture. */
  remainderLapses: leadsTo('partiallyLapsed'),
  /** Nothing captured and nothing in flight: the authorization may be voided. */
  voidable: leadsTo('cancelled'),
  /** The rules change the order's record (attempts, review, flags) without moving it. */
  staysPut: (args: RuleArgs, { from }: From): boolean => {
    const d = decisionAt(from, args);
    return d.kind === 'apply' && d.to === from;
  },
  /** The event repeats something already recorded: nothing to do. */
  isRepeat: (args: RuleArgs, { from }: From): boolean => decisionAt(from, args).kind === 'duplicate',
};
