/**
 * The chart's moves as data, read back from the machine config (capture-machine.ts), so that the
 * tests can check every move is taken and no other: state -> event -> the states it may go to.
 * The `'*'` entries never move an order and are left out.
 */
import { captureMachine } from './capture-machine';
import { CAPTURE_STATES, type CaptureEventType, type CaptureStateName } from './capture-types';

type Moves = Readonly<Partial<Record<CaptureEventType, readonly CaptureStateName[]>>>;

/** Every change of state the chart lists, read back from it: state -> event -> targets. */
export const MOVES = Object.fromEntries(CAPTURE_STATES.map((s) => [s, movesFrom(s)])) as Readonly<
  Record<CaptureStateName, Moves>
>;

function movesFrom(state: CaptureStateName): Moves {
  const moves: Partial<Record<CaptureEventType, CaptureStateName[]>> = {};
  for (const [type, list] of captureMachine.states[state]?.transitions ?? []) {
    const targets = list.flatMap((t) => (t.target ?? []).map((node) => node.key as CaptureStateName));
    if (type !== '*') moves[type as CaptureEventType] = targets;
  }
  return moves;
}
