/**
 * The simulated acquirer's books, free of any wire format: payments, the captures made on them,
 * the scripted outcomes still to come, and the counts that let tests prove exactly-once. Both
 * simulated acquirers (Antom, PayerMax) share it; their routes translate to and from it.
 *
 * Idempotency is the acquirer's: a captureRequestId seen before gets the same capture back
 * (its current state), never a second capture.
 */
import type { Acquirer, Money } from '../capture/machine/capture-types';
import {
  countsOf,
  pick,
  respondList,
  ruleViolation,
  sameMoney,
  view,
  type CaptureEntry,
  type CaptureRequest,
  type PaymentState,
} from './books';
import type {
  CaptureRequestCount,
  FinalResult,
  NotifyPlan,
  Outcome,
  PaymentSetup,
  Respond,
  SandboxCapture,
  SandboxCounts,
} from './sandbox-types';

export type { CaptureRequest } from './books';

export interface CallVerdict {
  respond: Respond;
  /** The capture as it stands now; absent when the call was lost or refused without a record. */
  capture?: SandboxCapture;
  refusal?: { code: string; message: string };
}

export interface PaymentLookup {
  paymentId?: string;
  paymentRequestId?: string;
}

export type FinalListener = (capture: SandboxCapture, notify: NotifyPlan) => void;

const DEFAULT_FAIL_CODE = 'PROCESS_FAIL';
const IN_PROCESS_CODE = 'CAPTURE_IN_PROCESS';

export class Ledger {
  private readonly payments = new Map<string, PaymentState>();
  private readonly captures = new Map<string, CaptureEntry>();
  /** Outcomes of calls that were 'lose'-t: the next call with the same id gets them. */
  private readonly heldOutcomes = new Map<string, Outcome>();
  private readonly callCounts = new Map<string, CaptureRequestCount>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private captureCalls = 0;
  private refusedCalls = 0;
  private sequence = 0;

  constructor(private readonly onFinal: FinalListener) {}

  setupPayment(setup: PaymentSetup): void {
    const p = this.payment(setup.paymentId);
    if (setup.paymentRequestId !== undefined) p.paymentRequestId = setup.paymentRequestId;
    if (setup.amount !== undefined) p.authorized = setup.amount;
    if (setup.multiCapture !== undefined) p.multiCapture = setup.multiCapture;
    if (setup.fullCaptureOnly !== undefined) p.fullCaptureOnly = setup.fullCaptureOnly;
    if (setup.inquiry !== undefined) p.inquiry = setup.inquiry;
    if (setup.outcomes !== undefined) p.outcomes = [...setup.outcomes];
  }

  script(paymentId: string, outcomes: Outcome[]): void {
    this.payment(paymentId).outcomes = [...outcomes];
  }

  refused(): void {
    this.refusedCalls++;
  }

  capture(req: CaptureRequest): CallVerdict {
    this.captureCalls++;
    const p = this.payment(req.paymentId);
    p.acquirer ??= req.acquirer;
    p.calls++;
    const count = this.callCounts.get(req.captureRequestId) ?? {
      acquirer: req.acquirer,
      paymentId: req.paymentId,
      calls: 0,
    };
    this.callCounts.set(req.captureRequestId, count);
    count.calls++;

    const existing = this.captures.get(req.captureRequestId);
    if (existing) {
      if (existing.paymentId !== req.paymentId || !sameMoney(existing.amount, req.amount)) {
        const message = 'this captureRequestId was used before with another payment or amount';
        return { respond: 'answer', refusal: { code: 'REPEAT_REQ_INCONSISTENT', message } };
      }
      return { respond: pick(existing.respond, count.calls), capture: view(existing) };
    }

    const violation = ruleViolation(p, this.capturesOf(p), req);
    const outcome = violation
      ? {}
      : (this.heldOutcomes.get(req.captureRequestId) ?? p.outcomes.shift() ?? {});
    const respond = pick(respondList(outcome), count.calls);
    if (respond === 'lose') {
      this.heldOutcomes.set(req.captureRequestId, outcome);
      return { respond };
    }
    this.heldOutcomes.delete(req.captureRequestId);
    const entry = this.record(req, p, outcome, violation);
    count.status = entry.status;
    return { respond, capture: view(entry) };
  }

  /** Makes a U capture final now (with `final`, or what its outcome said). */
  resolve(captureRequestId: string, final?: FinalResult): SandboxCapture | undefined {
    const entry = this.captures.get(captureRequestId);
    if (!entry || entry.status !== 'U') return entry ? view(entry) : undefined;
    this.finish(entry, final ?? entry.then);
    return view(entry);
  }

  /** AUTOMATIC capture: the acquirer captures by itself and notifies. */
  captureByAcquirer(
    acquirer: Acquirer,
    paymentId: string,
    amount: Money,
    notify: NotifyPlan = {},
  ): SandboxCapture {
    const p = this.payment(paymentId);
    p.acquirer ??= acquirer;
    const id = `${acquirer}-auto-${++this.sequence}`;
    const entry = this.newEntry(
      { acquirer, captureRequestId: id, paymentId, amount, isLast: true },
      {},
      notify,
    );
    entry.byAcquirer = true;
    this.captures.set(id, entry);
    p.captureRequestIds.push(id);
    this.finish(entry, { status: 'S' });
    return view(entry);
  }

  /** inquiryPayment: null when the payment cannot be found by paymentRequestId. */
  inquire(ref: PaymentLookup) {
    const p = this.lookup(ref);
    if (!p) return null;
    p.inquiries++;
    const captures = p.captureRequestIds.map((id) => view(this.captures.get(id)!));
    return {
      paymentId: p.paymentId,
      paymentRequestId: p.paymentRequestId,
      cancelled: p.cancelled,
      mode: p.inquiry,
      captures,
    };
  }

  /** Cancel (void): by paymentId, or paymentRequestId when the sandbox knows it. */
  cancel(ref: PaymentLookup): { status: 'S' | 'F'; code: string; message: string; paymentId?: string } {
    const p = this.lookup(ref);
    if (!p) return { status: 'F', code: 'ORDER_NOT_EXIST', message: 'no such payment' };
    p.cancels++;
    if (this.capturesOf(p).some((c) => c.status === 'S' || c.status === 'U')) {
      return {
        status: 'F',
        code: 'ORDER_STATUS_INVALID',
        message: 'the payment has a capture and cannot be cancelled',
        paymentId: p.paymentId,
      };
    }
    p.cancelled = true;
    return { status: 'S', code: 'SUCCESS', message: 'success', paymentId: p.paymentId };
  }

  /** A paymentId is always known (unknown payments are accepted leniently); a request id may not be. */
  private lookup(ref: PaymentLookup): PaymentState | undefined {
    if (ref.paymentId) return this.payment(ref.paymentId);
    if (!ref.paymentRequestId) return undefined;
    return [...this.payments.values()].find((x) => x.paymentRequestId === ref.paymentRequestId);
  }

  findCapture(captureRequestId: string): SandboxCapture | undefined {
    const entry = this.captures.get(captureRequestId);
    return entry ? view(entry) : undefined;
  }

  notifyPlan(captureRequestId: string): NotifyPlan {
    return this.captures.get(captureRequestId)?.notify ?? {};
  }

  counts(paymentId?: string): SandboxCounts {
    return countsOf(this.payments.values(), this.callCounts, this.captures, paymentId, {
      captureCalls: this.captureCalls,
      refused: this.refusedCalls,
    });
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private payment(paymentId: string): PaymentState {
    let p = this.payments.get(paymentId);
    if (!p) {
      p = {
        paymentId,
        fullCaptureOnly: false,
        inquiry: 'answer',
        outcomes: [],
        cancelled: false,
        captureRequestIds: [],
        calls: 0,
        inquiries: 0,
        cancels: 0,
      };
      this.payments.set(paymentId, p);
    }
    return p;
  }

  private capturesOf(p: PaymentState): CaptureEntry[] {
    return p.captureRequestIds.map((id) => this.captures.get(id)!);
  }

  private record(
    req: CaptureRequest,
    p: PaymentState,
    outcome: Outcome,
    violation: { code: string; message: string } | null,
  ): CaptureEntry {
    const entry = this.newEntry(req, outcome, outcome.notify ?? {});
    this.captures.set(req.captureRequestId, entry);
    p.captureRequestIds.push(req.captureRequestId);
    p.currency ??= req.amount.currency;
    if (violation) {
      // Refused at the door: answered synchronously, nothing to notify.
      Object.assign(entry, { status: 'F', resultCode: violation.code, resultMessage: violation.message });
      entry.finishedAt = entry.createdAt;
      return entry;
    }
    const status = outcome.status ?? 'S';
    if (status !== 'U') {
      this.finish(entry, { status, code: outcome.code, message: outcome.message });
      return entry;
    }
    entry.resultCode = outcome.code ?? IN_PROCESS_CODE;
    entry.resultMessage = outcome.message ?? 'capture in process';
    // Manual by default: a client repeating the same request must keep seeing U until told.
    const after = outcome.resolveAfterMs ?? 'manual';
    if (after !== 'manual') {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.resolve(entry.captureRequestId);
      }, after);
      timer.unref();
      this.timers.add(timer);
    }
    return entry;
  }

  private newEntry(req: CaptureRequest, outcome: Outcome, notify: NotifyPlan): CaptureEntry {
    return {
      acquirer: req.acquirer,
      captureRequestId: req.captureRequestId,
      paymentId: req.paymentId,
      captureId: `sbx${Date.now()}${String(++this.sequence).padStart(8, '0')}`,
      amount: { ...req.amount },
      status: 'U',
      resultCode: IN_PROCESS_CODE,
      resultMessage: '',
      createdAt: new Date().toISOString(),
      respond: respondList(outcome),
      notify,
      then: outcome.then ?? { status: 'S' },
    };
  }

  private finish(entry: CaptureEntry, final: FinalResult): void {
    entry.status = final.status;
    entry.resultCode = final.status === 'S' ? 'SUCCESS' : (final.code ?? DEFAULT_FAIL_CODE);
    entry.resultMessage = final.message ?? (final.status === 'S' ? 'success' : 'capture failed');
    entry.finishedAt = new Date().toISOString();
    const count = this.callCounts.get(entry.captureRequestId);
    if (count) count.status = entry.status;
    this.onFinal(view(entry), entry.notify);
  }
}
