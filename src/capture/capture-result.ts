import type { CaptureEffect, CaptureStateName } from './machine/capture.types';
import type { OrderEntity } from './persistence/entities';

/** What applying one event did. A refusal is a value, never an exception. */
export type ApplyResult =
  | {
      kind: 'applied';
      orderId: string;
      from: CaptureStateName;
      to: CaptureStateName;
      order: OrderEntity;
      effects: CaptureEffect[];
      /** The capture attempts this transition resolved (for metrics, without reading them back). */
      resolved: ResolvedAttempt[];
    }
  | { kind: 'duplicate'; orderId: string; state: CaptureStateName; reason: string }
  | { kind: 'rejected'; orderId: string; state: CaptureStateName; reason: string }
  | { kind: 'notFound'; orderId: string };

export interface ResolvedAttempt {
  captureRequestId: string;
  status: 'succeeded' | 'failed';
  resultCode: string | null;
  /** From the attempt's creation to its resolution, for attempts we sent; null otherwise. */
  seconds: number | null;
}

/** Where an event came from, recorded in the transition history. */
export type EventSource = string;

/** Run after a transaction that applied events has committed (effects never run inside it). */
export type AfterCommitHandler = (applied: Extract<ApplyResult, { kind: 'applied' }>) => Promise<void> | void;
