/**
 * Model-based tests: xstate/graph walks the machine over a finite event model and yields the
 * shortest path to every state it can reach; each path, and each path extended by every event
 * of the model, is replayed through the production step() (restore + transition), so the
 * (from, event, to) triples below are the ones the engine really takes.
 */
import { getShortestPaths } from 'xstate/graph';
import { initialSnapshot, type StoredSnapshot } from '../../../src/capture/machine/capture-engine';
import { captureMachine } from '../../../src/capture/machine/capture-machine';
import { MOVES } from '../../../src/capture/machine/capture-moves';
import {
  CAPTURE_STATES,
  type CaptureEvent,
  type CaptureInput,
  type CaptureStateName,
} from '../../../src/capture/machine/capture-types';
import {
  asCaptureEvent,
  expectMoneyInvariants,
  isChartViolation,
  MODEL_CONFIGS,
  modelEvents,
  modelKey,
  step,
} from './model';

interface Exploration {
  paths: number;
  reached: Set<CaptureStateName>;
  taken: Set<string>;
}

const triple = (from: string, type: string, to: string): string => `${from} --${type}--> ${to}`;

const CHART: string[] = CAPTURE_STATES.flatMap((from) =>
  Object.entries(MOVES[from]).flatMap(([type, targets]) =>
    (targets ?? []).map((to) => triple(from, type, to)),
  ),
).sort();

const explorations = new Map<string, Exploration>();

function explore(input: CaptureInput): Exploration {
  const paths = getShortestPaths(captureMachine, {
    input,
    events: (s) => modelEvents(s),
    serializeState: (s) => modelKey(s),
    limit: 100_000,
  }).sort((a, b) => a.steps.length - b.steps.length);
  const found: Exploration = { paths: paths.length, reached: new Set(), taken: new Set() };
  const take = (snapshot: StoredSnapshot, event: CaptureEvent) => {
    const outcome = step(snapshot, event);
    expect(isChartViolation(outcome)).toBe(false);
    if (outcome.kind !== 'applied') return outcome;
    expectMoneyInvariants(outcome.snapshot, input);
    if (outcome.to !== outcome.from) found.taken.add(triple(outcome.from, event.type, outcome.to));
    return outcome;
  };
  // Shortest paths form a tree (each extends its parent's by one event), so each path is
  // replayed from its parent's replayed snapshot rather than from the start.
  const replayed = new Map<string, StoredSnapshot>();
  for (const path of paths) {
    let end = initialSnapshot(input);
    if (path.steps.length > 1) {
      const parent = replayed.get(modelKey(path.steps[path.steps.length - 2]!.state));
      const outcome = take(
        parent as StoredSnapshot,
        asCaptureEvent(path.steps[path.steps.length - 1]!.event),
      );
      if (outcome.kind !== 'applied')
        throw new Error(`a shortest path step was ${outcome.kind}: ${outcome.reason}`);
      end = outcome.snapshot;
    }
    expect(modelKey(end)).toBe(modelKey(path.state));
    replayed.set(modelKey(end), end);
    found.reached.add(end.value);
    // Every event of the model from every reached state: the transitions, not only the states.
    for (const event of modelEvents(end)) take(end, event);
  }
  return found;
}

describe('capture machine: model-based paths from xstate/graph', () => {
  describe.each(Object.entries(MODEL_CONFIGS))('%s', (name, input) => {
    it('replays every shortest path through step() to the state the graph predicts, money intact', () => {
      const found = explore(input);
      explorations.set(name, found);
      expect(found.paths).toBeGreaterThan(CAPTURE_STATES.length);
      expect(found.reached.has('captured')).toBe(true);
    });
  });

  describe('over all order shapes', () => {
    const union = <T>(pick: (e: Exploration) => Set<T>): T[] => {
      expect([...explorations.keys()].sort()).toEqual(Object.keys(MODEL_CONFIGS).sort());
      return [...new Set([...explorations.values()].flatMap((e) => [...pick(e)]))];
    };

    it('reaches every state of the chart', () => {
      expect(union((e) => e.reached).sort()).toEqual([...CAPTURE_STATES].sort());
    });

    it('takes every transition of MOVES, and no other', () => {
      expect(union((e) => e.taken).sort()).toEqual(CHART);
    });

    it('the chart is the whole topology: final states only leave on a late success', () => {
      expect(CHART.filter((t) => /^(captured|autoCancelled|partiallyLapsed|cancelled) /.test(t))).toEqual([
        triple('autoCancelled', 'CAPTURE_SUCCEEDED', 'captured'),
        triple('cancelled', 'CAPTURE_SUCCEEDED', 'captured'),
        triple('partiallyLapsed', 'CAPTURE_SUCCEEDED', 'captured'),
      ]);
    });
  });
});
