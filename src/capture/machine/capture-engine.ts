/**
 * The pure step the service takes for every event: restore a stored snapshot, compute the next
 * one with xstate's `transition()`, and sort the returned actions into a typed outcome. No I/O.
 */
import { initialTransition, transition } from 'xstate';
import { captureMachine } from './capture-machine';
import type {
  CaptureContext,
  CaptureEffect,
  CaptureEvent,
  CaptureInput,
  CaptureStateName,
} from './capture-types';

export interface StoredSnapshot {
  value: CaptureStateName;
  context: CaptureContext;
}

export type StepOutcome =
  | {
      kind: 'applied';
      from: CaptureStateName;
      to: CaptureStateName;
      snapshot: StoredSnapshot;
      effects: CaptureEffect[];
    }
  | { kind: 'duplicate'; state: CaptureStateName; reason: string }
  | { kind: 'rejected'; state: CaptureStateName; reason: string };

export function initialSnapshot(input: CaptureInput): StoredSnapshot {
  const [snapshot] = initialTransition(captureMachine, input);
  return { value: snapshot.value, context: snapshot.context };
}

export function step(stored: StoredSnapshot, event: CaptureEvent): StepOutcome {
  const restored = captureMachine.resolveState({ value: stored.value, context: stored.context });
  const [next, actions] = transition(captureMachine, restored, event);
  const effects = actions
    .filter((a) => a.type === 'effect')
    .map((a) => (a as unknown as { params: CaptureEffect }).params);
  const refusal = effects.find((e) => e.type === 'rejected' || e.type === 'duplicate');
  if (refusal?.type === 'duplicate')
    return { kind: 'duplicate', state: stored.value, reason: refusal.reason };
  if (refusal?.type === 'rejected') return { kind: 'rejected', state: stored.value, reason: refusal.reason };
  return {
    kind: 'applied',
    from: stored.value,
    to: next.value,
    snapshot: { value: next.value, context: next.context },
    effects,
  };
}
