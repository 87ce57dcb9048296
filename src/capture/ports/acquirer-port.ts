/**
 * What the capture flow needs from an acquirer, in our own terms: minor units, S/F/U. Each
 * adapter (src/acquirers/antom, src/acquirers/payermax, and the sandbox wiring) translates its
 * wire format to this; conversion of amounts happens in the adapter through money.ts only.
 */
import type { Acquirer, Money } from '../machine/capture-types';

/**
 * The result code of a U whose request provably never reached the acquirer (connection refused,
 * host not found): nothing can have been captured, so sending it again at once is safe and useful.
 */
export const NOT_DELIVERED = 'NOT_DELIVERED';

/** S: done; F: failed (a retry needs a new captureRequestId); U: in process or no answer. */
export type CallStatus = 'S' | 'F' | 'U';

export interface CaptureCall {
  paymentId: string;
  /** Our idempotency key: the same id is safe to resend, the acquirer captures it at most once. */
  captureRequestId: string;
  amount: Money;
  isLast: boolean;
}

export interface CaptureCallResult {
  status: CallStatus;
  resultCode?: string;
  resultMessage?: string;
  captureId?: string;
  /** The amount the acquirer says it captured, when it says so. */
  amount?: Money;
}

export interface PaymentRef {
  paymentId: string | null;
  paymentRequestId: string | null;
}

/** One capture the acquirer knows of for a payment (inquiryPayment's CAPTURE transactions). */
export interface CaptureRecord {
  captureRequestId: string;
  status: CallStatus;
  resultCode?: string;
  resultMessage?: string;
  captureId?: string;
  amount?: Money;
}

export interface InquiryResult {
  /** The acquirer's own word for the payment: SUCCESS, FAIL, PROCESSING, CANCELLED, PENDING. */
  paymentStatus?: string;
  captures: CaptureRecord[];
}

export interface CancelResult {
  status: CallStatus;
  resultCode?: string;
  resultMessage?: string;
}

export interface AcquirerClient {
  readonly acquirer: Acquirer;
  /** Network errors and timeouts are returned as U, never thrown. */
  capture(call: CaptureCall): Promise<CaptureCallResult>;
  /** null when the acquirer documents no way to ask (PayerMax). A failed call throws. */
  inquire(payment: PaymentRef): Promise<InquiryResult | null>;
  cancel(payment: PaymentRef, requestId: string): Promise<CancelResult>;
}

/** Nest token for `Record<Acquirer, AcquirerClient>`. */
export const ACQUIRER_CLIENTS = Symbol('ACQUIRER_CLIENTS');
export type AcquirerClients = Record<Acquirer, AcquirerClient>;
