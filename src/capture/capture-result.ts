import type { CaptureEffect, CaptureStateName } from './machine/capture-types';
import type { OrderEntity } from './persistence/entities';
import type { ResolvedAttempt } from './persistence/attempt-writer';

/** What applying one event did. A refusal is a value, never an exception. */
export type ApplyResult =
  | {
      kind: 'applied';
      orderId: string;
      from: CaptureStateName;
      to: CaptureStateName;
      order: OrderEntity;
      effects: CaptureEffect[];
      /** The time the event was applied at: its after-commit effects act at the same time. */
      at: Date;
      /** The capture attempts this transition resolved (for metrics, without reading them back). */
      resolved: ResolvedAttempt[];
    }
  | { kind: 'duplicate'; orderId: string; state: CaptureStateName; reason: string }
  | { kind: 'rejected'; orderId: string; state: CaptureStateName; reason: string }
  | { kind: 'notFound'; orderId: string };

/** Where an event came from, recorded in the transition history. */
export type EventSource = string;

/** Run after a transaction that applied events has committed (effects never run inside it). */
export type AfterCommitHandler = (applied: Extract<ApplyResult, { kind: 'applied' }>) => Promise<void> | void;
