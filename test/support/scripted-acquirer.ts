/**
 * A stand-in for the external acquirer in database tests: it implements the AcquirerClient port
 * (our code is real all the way to it), keeps its own ledger of captures per payment, answers
 * what each test scripts, and counts every call so that tests can prove exactly-once.
 *
 * Like Antom, a capture is idempotent on captureRequestId: the same id returns what the ledger
 * holds (an F stays F, a U returns its final result once settled). Antom can be inquired;
 * PayerMax cannot (inquire returns null, as its client does).
 */
import { randomUUID } from 'node:crypto';
import type { Acquirer, Money } from '../../src/capture/machine/capture-types';
import type {
  AcquirerClient,
  AcquirerClients,
  CallStatus,
  CancelResult,
  CaptureCall,
  CaptureCallResult,
  CaptureRecord,
  InquiryResult,
  PaymentRef,
} from '../../src/capture/ports/acquirer-port';

export type ScriptedOutcome =
  /** Captured; `amount` when the acquirer reports another amount than requested. */
  | { kind: 'S'; amount?: string }
  | { kind: 'F'; code: string; message?: string }
  /** In process: the ledger says U until `settle()`. */
  | { kind: 'U'; code?: string }
  /** Captured at the acquirer, but the answer never came back (a timeout: U to us). */
  | { kind: 'lost' }
  /** The call never reached the acquirer (a network error: U to us, nothing captured). */
  | { kind: 'unreached' }
  /** The connection was refused: U NOT_DELIVERED, the client can tell nothing was sent. */
  | { kind: 'refused' };

interface LedgerEntry extends CaptureRecord {
  paymentId: string;
}

export class ScriptedAcquirer {
  readonly clients: AcquirerClients;
  private readonly scripts = new Map<string, ScriptedOutcome[]>();
  private readonly ledger = new Map<string, LedgerEntry>();
  private readonly callsById = new Map<string, number>();
  private readonly callsByPayment = new Map<string, number>();
  private readonly inquiriesByPayment = new Map<string, number>();
  private readonly cancelsByPayment = new Map<string, number>();
  private readonly failingInquiries = new Set<string>();
  /** Runs when a capture call arrives, before it is answered (tests look at the database then). */
  onCall?: (call: CaptureCall) => Promise<void> | void;

  constructor() {
    this.clients = { antom: this.client('antom'), payermax: this.client('payermax') };
  }

  /** The outcomes of the next NEW captureRequestIds of a payment, in order (then S). */
  script(paymentId: string, ...outcomes: ScriptedOutcome[]): void {
    this.scripts.set(paymentId, [...(this.scripts.get(paymentId) ?? []), ...outcomes]);
  }

  /** Finishes a capture that was in process (U). */
  settle(captureRequestId: string, final: { kind: 'S' } | { kind: 'F'; code: string }): void {
    const entry = this.ledger.get(captureRequestId);
    if (!entry) throw new Error(`the acquirer knows no capture ${captureRequestId}`);
    entry.status = final.kind;
    entry.resultCode = final.kind === 'S' ? 'SUCCESS' : final.code;
    if (final.kind === 'S') entry.captureId = entry.captureId ?? `cap_${randomUUID()}`;
  }

  /** A capture the acquirer made without a call from these tests (AUTOMATIC, or a call made before a crash). */
  seed(paymentId: string, record: CaptureRecord): void {
    this.ledger.set(record.captureRequestId, { ...record, paymentId });
  }

  failInquiries(paymentId: string, failing = true): void {
    if (failing) this.failingInquiries.add(paymentId);
    else this.failingInquiries.delete(paymentId);
  }

  /** Calls made with this captureRequestId. */
  calls(captureRequestId: string): number {
    return this.callsById.get(captureRequestId) ?? 0;
  }

  /** Capture calls made for this payment, whatever their id. */
  paymentCalls(paymentId: string): number {
    return this.callsByPayment.get(paymentId) ?? 0;
  }

  /** Successful captures in the acquirer's ledger for this payment: the money that moved. */
  captured(paymentId: string): LedgerEntry[] {
    return [...this.ledger.values()].filter((e) => e.paymentId === paymentId && e.status === 'S');
  }

  inquiries(paymentId: string): number {
    return this.inquiriesByPayment.get(paymentId) ?? 0;
  }

  cancels(paymentId: string): number {
    return this.cancelsByPayment.get(paymentId) ?? 0;
  }

  private client(acquirer: Acquirer): AcquirerClient {
    return {
      acquirer,
      capture: async (call) => {
        await this.onCall?.(call);
        return this.capture(call);
      },
      inquire: async (ref) => (acquirer === 'payermax' ? null : this.inquire(ref)),
      cancel: async (ref) => this.cancel(ref),
    };
  }

  private capture(call: CaptureCall): CaptureCallResult {
    bump(this.callsById, call.captureRequestId);
    bump(this.callsByPayment, call.paymentId);
    const known = this.ledger.get(call.captureRequestId);
    if (known) return answer(known);
    const outcome = this.scripts.get(call.paymentId)?.shift() ?? { kind: 'S' };
    if (outcome.kind === 'unreached') return { status: 'U', resultCode: 'NETWORK_ERROR' };
    if (outcome.kind === 'refused') return { status: 'U', resultCode: 'NOT_DELIVERED' };
    const amount: Money = {
      currency: call.amount.currency,
      value: outcome.kind === 'S' && outcome.amount ? outcome.amount : call.amount.value,
    };
    const status: CallStatus = outcome.kind === 'lost' ? 'S' : outcome.kind;
    const entry: LedgerEntry = {
      paymentId: call.paymentId,
      captureRequestId: call.captureRequestId,
      status,
      amount,
      resultCode:
        outcome.kind === 'F'
          ? outcome.code
          : outcome.kind === 'U'
            ? (outcome.code ?? 'PAYMENT_IN_PROCESS')
            : 'SUCCESS',
      ...(outcome.kind === 'F' && outcome.message ? { resultMessage: outcome.message } : {}),
      ...(status === 'S' ? { captureId: `cap_${randomUUID()}` } : {}),
    };
    this.ledger.set(call.captureRequestId, entry);
    return outcome.kind === 'lost' ? { status: 'U', resultCode: 'TIMEOUT' } : answer(entry);
  }

  private inquire(ref: PaymentRef): InquiryResult {
    const paymentId = ref.paymentId ?? '';
    bump(this.inquiriesByPayment, paymentId);
    if (this.failingInquiries.has(paymentId)) throw new Error('inquiryPayment: connection refused');
    const captures = [...this.ledger.values()]
      .filter((e) => e.paymentId === paymentId)
      .map(({ paymentId: _p, ...record }) => ({ ...record }));
    return { paymentStatus: 'SUCCESS', captures };
  }

  private cancel(ref: PaymentRef): CancelResult {
    bump(this.cancelsByPayment, ref.paymentId ?? '');
    return { status: 'S', resultCode: 'SUCCESS' };
  }
}

function answer(entry: LedgerEntry): CaptureCallResult {
  return {
    status: entry.status,
    ...(entry.resultCode ? { resultCode: entry.resultCode } : {}),
    ...(entry.resultMessage ? { resultMessage: entry.resultMessage } : {}),
    ...(entry.captureId ? { captureId: entry.captureId } : {}),
    ...(entry.status === 'S' && entry.amount ? { amount: entry.amount } : {}),
  };
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
