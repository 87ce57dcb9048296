/**
 * The sandbox's public vocabulary: how a test (or the demo) scripts what the simulated acquirer
 * does with a capture, and what the sandbox reports back. Shared by the programmatic API and the
 * HTTP control endpoints (/sandbox/*), which accept the same shapes as JSON.
 */
import type { KeyObject } from 'node:crypto';
import type { Acquirer, Money } from '../capture/machine/capture-types';

/**
 * How one HTTP call for a capture is answered. `answer`: normally. `hang`: the capture is
 * processed but no answer ever comes (the client times out). `drop`: processed, then the
 * connection is cut (a network error). `lose`: held open and never processed at all, as if the
 * request never arrived; a later call with the same captureRequestId is processed as new.
 */
export type Respond = 'answer' | 'hang' | 'drop' | 'lose';

/** What a U capture becomes. */
export interface FinalResult {
  status: 'S' | 'F';
  /** For F; default PROCESS_FAIL. */
  code?: string;
  message?: string;
}

export interface NotifyPlan {
  /** Never sent: only an inquiry (Antom) can tell. */
  lost?: boolean;
  /** Independent deliveries of the same notification (duplicates); default 1. */
  copies?: number;
  /** Wall-clock wait before the first delivery, to make notifications overtake each other. */
  delayMs?: number;
  /** PayerMax only: an out-of-date PENDING notification arrives after the final one. */
  stalePending?: boolean;
}

/**
 * What the acquirer does with the next new captureRequestId on a payment. Every field is
 * optional: `{}` is the default (S answered at once, one notification).
 */
export interface Outcome {
  /** The synchronous result; default S. */
  status?: 'S' | 'F' | 'U';
  /** Result code for F (default PROCESS_FAIL) or U (default CAPTURE_IN_PROCESS). */
  code?: string;
  message?: string;
  /** For U: the final result (default S). */
  then?: FinalResult;
  /**
   * For U: wall-clock ms until it becomes final, or 'manual' (the default: it stays U, for
   * inquiries and repeated calls alike, until sandbox.resolve() or POST /sandbox/resolve).
   */
  resolveAfterMs?: number | 'manual';
  /** Per call of this captureRequestId (the last entry repeats); default 'answer'. */
  respond?: Respond | Respond[];
  notify?: NotifyPlan;
}

/** An authorization the sandbox should know. Unknown payments are accepted leniently. */
export interface PaymentSetup {
  paymentId: string;
  paymentRequestId?: string;
  /** The authorized amount: captures beyond it (in total) or in another currency are refused. */
  amount?: Money;
  /** Default: true for Antom, false for PayerMax (one capture only). */
  multiCapture?: boolean;
  /** US cards: a capture must be exactly the authorized amount. */
  fullCaptureOnly?: boolean;
  /** How inquiryPayment answers for this payment; default 'answer'. */
  inquiry?: 'answer' | 'hang' | 'unknown';
  /** Outcomes for the next new captureRequestIds, in order; afterwards the default. */
  outcomes?: Outcome[];
}

type CaptureStatus = 'S' | 'F' | 'U';

/** One capture the sandbox processed (it is the acquirer's record, as inquiryPayment shows it). */
export interface SandboxCapture {
  acquirer: Acquirer;
  captureRequestId: string;
  paymentId: string;
  captureId: string;
  amount: Money;
  status: CaptureStatus;
  resultCode: string;
  resultMessage: string;
  createdAt: string;
  finishedAt?: string;
  /** Set by the acquirer itself (AUTOMATIC capture), not requested by the merchant. */
  byAcquirer?: boolean;
}

export interface CaptureRequestCount {
  acquirer: Acquirer;
  paymentId: string;
  /** HTTP calls carrying this captureRequestId (repeats included). */
  calls: number;
  status?: CaptureStatus;
}

export interface PaymentCount {
  acquirer: Acquirer;
  /** Capture calls (repeats included). */
  calls: number;
  /** Distinct captureRequestIds processed. */
  captures: number;
  /** Distinct captures that succeeded: exactly-once means 1 for a single full capture. */
  succeeded: number;
  capturedValue: string;
  currency?: string;
  inquiries: number;
  cancels: number;
}

export interface SandboxCounts {
  /** Capture calls whose signature verified (repeats included). */
  captureCalls: number;
  /** Requests refused before processing (bad signature, unknown merchant, stale requestTime). */
  refused: number;
  byCaptureRequestId: Record<string, CaptureRequestCount>;
  byPaymentId: Record<string, PaymentCount>;
}

export interface DeliveryRecord {
  acquirer: Acquirer;
  captureRequestId: string;
  paymentId: string;
  /** Which copy (duplicates) and which try of that copy, both from 1. */
  copy: number;
  attempt: number;
  /** 'final' is the capture result; 'stalePending' an out-of-date PENDING (PayerMax). */
  kind: 'final' | 'stalePending';
  status: CaptureStatus;
  at: string;
  url: string;
  httpStatus?: number;
  acknowledged: boolean;
  error?: string;
}

/** Signing identities: the merchant's public keys (to verify requests), the sandbox's private key. */
export interface SandboxKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface SandboxOptions {
  antom?: {
    /** Only this client id is accepted; default: any client id signed with the merchant key. */
    clientId?: string;
    merchantPublicKey?: KeyObject;
    /** The path the service signs and verifies notifications with (ANTOM_NOTIFY_PATH). */
    notifyPath?: string;
  };
  payermax?: {
    appId?: string;
    merchantNo?: string;
    merchantPublicKey?: KeyObject;
    notifyPath?: string;
    /** PAYERMAX_AMOUNT_UNIT of the service talking to it; default major. */
    amountUnit?: 'major' | 'minor';
  };
  /** Without merchant public keys, a merchant pair is generated and returned in `keys`. */
  merchantKeys?: SandboxKeyPair;
  /** The sandbox's own signing pair; generated when absent. */
  sandboxKeys?: SandboxKeyPair;
  /** The service, e.g. http://127.0.0.1:3000; several are used in turn. Settable later. */
  notifyBaseUrl?: string | string[];
  /** Divides the documented notification retry schedules (1: real time). Default 1. */
  timeScale?: number;
  /** Notification retry schedules override (ms between tries, first usually 0). */
  retrySchedules?: Partial<Record<Acquirer, number[]>>;
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /**
   * Wall-clock ms every capture waits before it is answered (SANDBOX_CAPTURE_LATENCY_MS), as
   * a real acquirer takes a few hundred ms; the capture itself is recorded on arrival. Default 0.
   */
  captureLatencyMs?: number;
  /** Timeout of one notification delivery. Default 10 s. */
  notifyTimeoutMs?: number;
  /** An HTTPS listener besides the plain one (same routes); absent: none. */
  tls?: SandboxTlsOptions;
  logger?: { log(message: string): void; warn(message: string): void };
}

export interface SandboxTlsOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default: the plain listener's host. */
  host?: string;
  /** PEM, both or neither; without them a self-signed certificate is made at start. */
  certPem?: string;
  keyPem?: string;
  /** Names the generated certificate is valid for besides localhost, 127.0.0.1, ::1 and host. */
  hosts?: string[];
}
