/**
 * What a sandbox offers its owner (a test, the service in sandbox mode, the standalone process).
 * Apart from sandbox.ts so that the pieces it hands the sandbox to (the control routes) can name
 * it without importing the server that builds them.
 */
import type { KeyObject } from 'node:crypto';
import type { Acquirer, Money } from '../capture/machine/capture-types';
import type {
  DeliveryRecord,
  FinalResult,
  NotifyPlan,
  Outcome,
  PaymentSetup,
  SandboxCapture,
  SandboxCounts,
  SandboxKeyPair,
} from './sandbox-types';

export interface SandboxKeys {
  /** The sandbox's public key: the service's ANTOM_PUBLIC_KEY and PAYERMAX_PUBLIC_KEY. */
  sandboxPublicKey: KeyObject;
  /** Present when the sandbox generated the merchant pair (or was given it whole). */
  merchant?: SandboxKeyPair;
  antomClientId: string;
  payermaxAppId: string;
  payermaxMerchantNo: string;
  payermaxAmountUnit: 'major' | 'minor';
}

export interface Sandbox {
  /** e.g. http://127.0.0.1:41234: the service's ANTOM_BASE_URL and PAYERMAX_BASE_URL. */
  url: string;
  /** The HTTPS listener, when one was asked for: its URL and the certificate to trust. */
  tls?: { url: string; certPem: string };
  keys: SandboxKeys;
  /** Registers an authorization (amount, capture rules, inquiry behaviour, outcomes). */
  payment(setup: PaymentSetup): void;
  /** The outcomes of the next new captureRequestIds of a payment, in order. */
  script(paymentId: string, ...outcomes: Outcome[]): void;
  /** Finishes a U capture now (resolveAfterMs: 'manual'), optionally overriding its result. */
  resolve(captureRequestId: string, final?: FinalResult): SandboxCapture | undefined;
  /** An AUTOMATIC capture: the acquirer captures by itself and notifies. */
  captureByAcquirer(
    acquirer: Acquirer,
    paymentId: string,
    amount: Money,
    notify?: NotifyPlan,
  ): SandboxCapture;
  /** Sends the final notification of a capture once more; false when it is not final. */
  notifyAgain(captureRequestId: string): boolean;
  capture(captureRequestId: string): SandboxCapture | undefined;
  counts(paymentId?: string): SandboxCounts;
  deliveries(captureRequestId?: string): DeliveryRecord[];
  /** Notifications still scheduled or in flight. */
  pendingDeliveries(): number;
  setNotifyBaseUrl(baseUrl: string | string[]): void;
  close(): Promise<void>;
}
