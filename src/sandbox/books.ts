/**
 * The sandbox's records and the rules read from them: a payment (authorization) and the
 * captures made on it, what the acquirer refuses whatever a script says, and the counts tests
 * use to prove exactly-once. Pure: the Ledger owns the state and the timers.
 */
import type { Acquirer, Money } from '../capture/machine/capture-types';
import type {
  CaptureRequestCount,
  FinalResult,
  NotifyPlan,
  Outcome,
  PaymentCount,
  Respond,
  SandboxCapture,
  SandboxCounts,
} from './sandbox-types';

export interface CaptureRequest {
  acquirer: Acquirer;
  captureRequestId: string;
  paymentId: string;
  amount: Money;
  isLast: boolean;
}

export interface PaymentState {
  acquirer?: Acquirer;
  paymentId: string;
  paymentRequestId?: string;
  authorized?: Money;
  currency?: string;
  multiCapture?: boolean;
  fullCaptureOnly: boolean;
  inquiry: 'answer' | 'hang' | 'unknown';
  outcomes: Outcome[];
  cancelled: boolean;
  captureRequestIds: string[];
  calls: number;
  inquiries: number;
  cancels: number;
}

export interface CaptureEntry extends SandboxCapture {
  respond: Respond[];
  notify: NotifyPlan;
  then: FinalResult;
}

/** The acquirer's own rules (docs/acquirers.md): what it refuses whatever the script says. */
export function ruleViolation(
  p: PaymentState,
  captures: CaptureEntry[],
  req: CaptureRequest,
): { code: string; message: string } | null {
  if (p.cancelled) return { code: 'ORDER_IS_CANCELED', message: 'the payment was cancelled' };
  const currency = p.authorized?.currency ?? p.currency;
  if (currency !== undefined && currency !== req.amount.currency) {
    return { code: 'CURRENCY_NOT_SUPPORT', message: `the payment currency is ${currency}` };
  }
  const live = captures.filter((c) => c.status === 'S' || (c.status === 'U' && c.then.status === 'S'));
  const multi = p.multiCapture ?? req.acquirer === 'antom';
  if (!multi && live.length > 0) {
    return { code: 'MULTI_CAPTURE_NOT_SUPPORTED', message: 'this payment allows one capture only' };
  }
  if (!p.authorized) return null;
  if (p.fullCaptureOnly && req.amount.value !== p.authorized.value) {
    return {
      code: 'PARAM_ILLEGAL',
      message: 'this payment method captures the full authorized amount only',
    };
  }
  const total = live.reduce((sum, c) => sum + BigInt(c.amount.value), BigInt(req.amount.value));
  if (total > BigInt(p.authorized.value)) {
    return {
      code: 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT',
      message: 'the total capture amount exceeds the authorization',
    };
  }
  return null;
}

export function countsOf(
  payments: Iterable<PaymentState>,
  callCounts: Map<string, CaptureRequestCount>,
  captures: Map<string, CaptureEntry>,
  paymentId: string | undefined,
  totals: { captureCalls: number; refused: number },
): SandboxCounts {
  const byPaymentId: Record<string, PaymentCount> = {};
  for (const p of payments) {
    if (paymentId !== undefined && p.paymentId !== paymentId) continue;
    const succeeded = p.captureRequestIds.map((id) => captures.get(id)!).filter((c) => c.status === 'S');
    const currency = p.currency ?? p.authorized?.currency;
    byPaymentId[p.paymentId] = {
      acquirer: p.acquirer ?? 'antom',
      calls: p.calls,
      captures: p.captureRequestIds.length,
      succeeded: succeeded.length,
      capturedValue: succeeded.reduce((sum, c) => sum + BigInt(c.amount.value), 0n).toString(),
      ...(currency ? { currency } : {}),
      inquiries: p.inquiries,
      cancels: p.cancels,
    };
  }
  const byCaptureRequestId: Record<string, CaptureRequestCount> = {};
  for (const [id, count] of callCounts) {
    if (paymentId === undefined || count.paymentId === paymentId) byCaptureRequestId[id] = { ...count };
  }
  return { ...totals, byCaptureRequestId, byPaymentId };
}

export function respondList(outcome: Outcome): Respond[] {
  const r = outcome.respond ?? 'answer';
  return Array.isArray(r) ? (r.length > 0 ? r : ['answer']) : [r];
}

/** The n-th call (from 1) gets the n-th entry; the last one repeats. */
export function pick(list: Respond[], call: number): Respond {
  return list[Math.min(call, list.length) - 1] ?? 'answer';
}

export function sameMoney(a: Money, b: Money): boolean {
  return a.currency === b.currency && a.value === b.value;
}

export function view(entry: CaptureEntry): SandboxCapture {
  const { respond: _r, notify: _n, then: _t, ...capture } = entry;
  return { ...capture, amount: { ...capture.amount } };
}
