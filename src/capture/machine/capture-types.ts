/**
 * The vocabulary of the capture machine. Everything here is plain JSON so that a snapshot
 * can be stored in a database column and restored byte for byte; money is a digit string of
 * minor units and is only ever turned into a bigint inside a computation.
 */
import type { MinorUnits } from '../money/money';

/** Minor units as a digit string: one definition, with the arithmetic (money.ts). */
export type { MinorUnits };
export type Acquirer = 'antom' | 'payermax';
export const ACQUIRERS: readonly Acquirer[] = ['antom', 'payermax'];

export type CaptureMode = 'AUTOMATIC' | 'MANUAL';
export const CAPTURE_MODES: readonly CaptureMode[] = ['AUTOMATIC', 'MANUAL'];

export type CaptureStateName =
  | 'authorized'
  | 'capturePending'
  | 'partiallyCaptured'
  | 'captured'
  | 'captureFailed'
  | 'autoCancelled'
  | 'partiallyLapsed'
  | 'cancelled';

export const CAPTURE_STATES: readonly CaptureStateName[] = [
  'authorized',
  'capturePending',
  'partiallyCaptured',
  'captured',
  'captureFailed',
  'autoCancelled',
  'partiallyLapsed',
  'cancelled',
];

export interface Money {
  currency: string;
  value: MinorUnits;
}

export type AttemptStatus = 'pending' | 'succeeded' | 'failed';

export interface AttemptRecord {
  amount: MinorUnits;
  status: AttemptStatus;
  /** We sent it (false: the acquirer reported a capture we never requested). */
  ours: boolean;
  isLast: boolean;
  captureId?: string;
  resultCode?: string;
  /** The acquirer answered U / PENDING at least once. */
  inProcess?: boolean;
}

interface Review {
  reason: string;
  since: string;
}

export interface CaptureContext {
  acquirer: Acquirer;
  currency: string;
  authorizedAmount: MinorUnits;
  capturedAmount: MinorUnits;
  captureMode: CaptureMode;
  multiCapture: boolean;
  fullCaptureOnly: boolean;
  /** ISO 8601; no capture may be requested at or after it. */
  captureDeadline: string;
  attempts: Record<string, AttemptRecord>;
  /** The deadline warning went out; it goes out once. */
  deadlineWarned: boolean;
  /**
   * The deadline came while a capture of ours had no definite answer: the order stays open,
   * under review, and ends when that capture is resolved. Absent in older snapshots (false).
   */
  deadlinePassed?: boolean;
  review: Review | null;
}

export type CaptureInput = Omit<CaptureContext, 'capturedAmount' | 'attempts' | 'deadlineWarned' | 'review'>;

/**
 * Every event carries `at` (ISO 8601): the machine is pure and never reads a clock. Exported
 * because the machine's emitted declarations name it.
 * @public
 */
export interface Timed {
  at: string;
}

export type CaptureEvent =
  | ({ type: 'CAPTURE_REQUESTED'; captureRequestId: string; amount: Money; isLast?: boolean } & Timed)
  | ({
      type: 'CAPTURE_SUCCEEDED';
      captureRequestId: string;
      captureId?: string;
      amount: Money;
      resultCode?: string;
    } & Timed)
  | ({
      type: 'CAPTURE_FAILED';
      captureRequestId: string;
      resultCode: string;
      resultMessage?: string;
    } & Timed)
  | ({ type: 'CAPTURE_PENDING'; captureRequestId: string; resultCode?: string } & Timed)
  /** Send a pending attempt of ours again under the same captureRequestId (idempotent). */
  | ({ type: 'CAPTURE_RESEND_REQUESTED'; captureRequestId: string; note?: string } & Timed)
  /** An operator states that a pending attempt of ours captured nothing: it fails. */
  | ({ type: 'CAPTURE_ABANDONED'; captureRequestId: string; note: string } & Timed)
  | ({ type: 'DEADLINE_WARNING' } & Timed)
  | ({ type: 'DEADLINE_REACHED' } & Timed)
  | ({ type: 'CANCEL_REQUESTED'; reason?: string } & Timed)
  | ({ type: 'REVIEW_FLAGGED'; reason: string } & Timed)
  | ({ type: 'REVIEW_RESOLVED'; note: string } & Timed)
  /**
   * The acquirer's own authorization result (Antom PAYMENT_RESULT) fixes when the payment was
   * authorized, and so the capture deadline; it never changes the state.
   */
  | ({ type: 'AUTHORIZATION_CONFIRMED'; authorizedAt: string; captureDeadline: string } & Timed);

export type CaptureEventType = CaptureEvent['type'];

export const CAPTURE_EVENT_TYPES: readonly CaptureEventType[] = [
  'CAPTURE_REQUESTED',
  'CAPTURE_SUCCEEDED',
  'CAPTURE_FAILED',
  'CAPTURE_PENDING',
  'CAPTURE_RESEND_REQUESTED',
  'CAPTURE_ABANDONED',
  'DEADLINE_WARNING',
  'DEADLINE_REACHED',
  'CANCEL_REQUESTED',
  'REVIEW_FLAGGED',
  'REVIEW_RESOLVED',
  'AUTHORIZATION_CONFIRMED',
];

export type DomainEventType =
  | 'order.captured'
  | 'order.partially_captured'
  | 'order.capture_failed'
  | 'order.auto_cancelled'
  | 'order.partially_lapsed'
  | 'order.cancelled'
  | 'order.capture_deadline_approaching'
  | 'order.review_required';

/** What the machine asks its shell to do; the service runs these, never the machine. */
export type CaptureEffect =
  | { type: 'emit'; event: DomainEventType }
  | { type: 'callCapture'; captureRequestId: string; amount: Money; isLast: boolean }
  | { type: 'resendCapture'; captureRequestId: string; amount: Money; isLast: boolean }
  | { type: 'voidAuthorization' }
  | { type: 'rejected'; reason: string }
  | { type: 'duplicate'; reason: string };
