/**
 * Helpers for the merchant/admin API suites: authenticated JSON calls through the real app, and
 * orders driven into any state through OrderEventApplier.apply (the same path every source takes).
 * Orders meant to be driven are AUTOMATIC, so no event asks to call the acquirer.
 */
import { OrderEventApplier } from '../../src/capture/order-event-applier';
import type { CaptureEvent, CaptureStateName } from '../../src/capture/machine/capture-types';
import type { RegisterOrderInput } from '../../src/capture/registration';
import type { DatabaseKind } from '../support/databases';
import { call, registerOrder, startTestApp, TOKEN, type OrderBody, type TestApp } from '../support/http-app';

/** The app as the merchant runs it, with a known token and without background jobs. */
export function startApiApp(kind: DatabaseKind, env: Record<string, string> = {}, existing?: TestApp['db']) {
  return startTestApp(kind, { ADMIN_TOKEN: TOKEN, SCHEDULER_ENABLED: 'false', ...env }, existing);
}

export async function apply(t: TestApp, orderId: string, event: CaptureEvent, source = 'test') {
  return t.app.get(OrderEventApplier).apply(orderId, event, source);
}

const now = () => new Date().toISOString();

/**
 * A fresh AUTOMATIC Antom order (multi-capture, USD 100.00) in the given state; `review` also
 * opens a review on it.
 */
export async function orderIn(
  t: TestApp,
  state: CaptureStateName,
  opts: { review?: boolean; overrides?: Partial<RegisterOrderInput> } = {},
): Promise<OrderBody> {
  const order = await registerOrder(t, { captureMode: 'AUTOMATIC', multiCapture: true, ...opts.overrides });
  const amount = (value: string) => ({ currency: 'USD', value });
  // captureRequestId is unique across all orders.
  const acq = `acq-${order.id}`;
  const steps: Record<CaptureStateName, CaptureEvent[]> = {
    authorized: [],
    capturePending: [{ type: 'CAPTURE_PENDING', captureRequestId: acq, at: now() }],
    partiallyCaptured: [
      { type: 'CAPTURE_SUCCEEDED', captureRequestId: acq, amount: amount('4000'), at: now() },
    ],
    captured: [{ type: 'CAPTURE_SUCCEEDED', captureRequestId: acq, amount: amount('10000'), at: now() }],
    captureFailed: [
      { type: 'CAPTURE_FAILED', captureRequestId: acq, resultCode: 'USER_BALANCE_NOT_ENOUGH', at: now() },
    ],
    autoCancelled: [{ type: 'DEADLINE_REACHED', at: String(order.captureDeadline) }],
    partiallyLapsed: [
      { type: 'CAPTURE_SUCCEEDED', captureRequestId: acq, amount: amount('4000'), at: now() },
      { type: 'DEADLINE_REACHED', at: String(order.captureDeadline) },
    ],
    cancelled: [{ type: 'CANCEL_REQUESTED', reason: 'test', at: now() }],
  };
  for (const event of steps[state]) {
    const r = await apply(t, order.id, event);
    if (r.kind !== 'applied') throw new Error(`driving to ${state}: ${JSON.stringify(r)}`);
  }
  if (opts.review) {
    const r = await apply(t, order.id, { type: 'REVIEW_FLAGGED', reason: 'looks odd', at: now() });
    if (r.kind !== 'applied') throw new Error(`flagging review: ${JSON.stringify(r)}`);
  }
  const res = await call<OrderBody>(t, 'GET', `/orders/${order.id}`);
  if (res.body.state !== state) throw new Error(`wanted ${state}, got ${res.body.state}`);
  return res.body;
}

/** Polls until `check` returns a value (not undefined), for at most `ms`: background work settles. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
