/**
 * The whole service over real HTTP, wired to the sandbox acquirer as an operator would wire a
 * real one (ACQUIRER_MODE=live, ANTOM_* / PAYERMAX_* pointing at it, signed both ways), the
 * sandbox's notifications coming back to the service's webhook routes. The scheduler's timer is
 * off: tests drive its jobs with tick(now) so time is theirs, while HTTP stays real.
 */
import { CaptureExecutor } from '../../src/capture/execution/capture-executor';
import type { RegisterOrderInput } from '../../src/capture/registration';
import { createSandbox, SANDBOX_DEFAULTS, type Sandbox } from '../../src/sandbox/sandbox';
import type { Outcome, PaymentSetup } from '../../src/sandbox/sandbox-types';
import { sandboxServiceEnv } from '../../src/sandbox/standalone';
import { CaptureScheduler } from '../../src/scheduler/capture-scheduler';
import { registration } from '../support/capture-testing';
import type { DatabaseKind } from '../support/databases';
import { transitionLine } from '../support/history';
import {
  call,
  detail,
  registerOrder,
  startTestApp,
  TOKEN,
  type DetailBody,
  type OrderBody,
  type TestApp,
} from '../support/http-app';

const quiet = { log: () => undefined, warn: () => undefined };

export interface FlowApp {
  t: TestApp;
  sandbox: Sandbox;
  /** Runs the scheduler's jobs at `now` and waits for the acquirer calls they started. */
  tick(now: Date): Promise<void>;
  /** Waits for the acquirer calls the service started in the background. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Test timings: 1 min first inquiry, 10 min retry backoff, 300 ms acquirer timeout. */
export const FLOW_ENV = {
  ADMIN_TOKEN: TOKEN,
  LOG_LEVEL: 'silent',
  SCHEDULER_ENABLED: 'false',
  ACQUIRER_TIMEOUT_MS: '300',
  INQUIRY_BACKOFF_MS: '60000,300000,900000',
  CAPTURE_RETRY_MAX: '2',
  CAPTURE_RETRY_BACKOFF_MS: '600000',
  AUTOMATIC_CAPTURE_GRACE_MS: '3600000',
};

export async function startFlowApp(kind: DatabaseKind, env: Record<string, string> = {}): Promise<FlowApp> {
  const sandbox = await createSandbox({
    antom: { clientId: SANDBOX_DEFAULTS.antomClientId },
    payermax: { appId: SANDBOX_DEFAULTS.payermaxAppId, merchantNo: SANDBOX_DEFAULTS.payermaxMerchantNo },
    // Notification retries a thousand times faster than documented.
    timeScale: 1000,
    logger: quiet,
  });
  const t = await startTestApp(kind, {
    ...sandboxServiceEnv(sandbox, SANDBOX_DEFAULTS.antomNotifyPath),
    ...FLOW_ENV,
    ...env,
  });
  sandbox.setNotifyBaseUrl(t.baseUrl);
  const scheduler = t.app.get(CaptureScheduler);
  const executor = t.app.get(CaptureExecutor);
  return {
    t,
    sandbox,
    tick: async (now) => {
      await scheduler.tick(now);
      await executor.whenIdle();
    },
    idle: () => executor.whenIdle(),
    close: async () => {
      await t.close();
      await sandbox.close();
    },
  };
}

export interface FlowOrder extends OrderBody {
  paymentId: string;
}

/** Registers the payment at the sandbox (with its outcomes) and the order at the service. */
export async function flowOrder(
  f: FlowApp,
  overrides: Partial<RegisterOrderInput> = {},
  outcomes: Outcome[] = [],
  setup: Partial<PaymentSetup> = {},
): Promise<FlowOrder> {
  const input = registration(overrides);
  f.sandbox.payment({
    paymentId: input.paymentId,
    amount: input.amount,
    multiCapture: input.multiCapture ?? false,
    fullCaptureOnly: input.fullCaptureOnly ?? false,
    outcomes,
    ...setup,
  });
  return (await registerOrder(f.t, input)) as FlowOrder;
}

/** POST /admin/orders/:id/capture; the body of the 202. */
export async function requestCapture(
  f: FlowApp,
  orderId: string,
  body: { amount?: string; isLast?: boolean } = {},
) {
  return call<{ captureRequestId: string; status: string }>(
    f.t,
    'POST',
    `/admin/orders/${orderId}/capture`,
    body,
  );
}

/** Polls the order until `check` holds (notifications arrive on their own), for at most 20 s. */
export async function until(
  f: FlowApp,
  orderId: string,
  check: (o: DetailBody) => boolean,
  timeoutMs = 20_000,
): Promise<DetailBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const o = await detail(f.t, orderId);
    if (check(o) || Date.now() > deadline) return o;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The history of an order detail, in the one format (see history.ts). */
export const moves = (o: DetailBody) => o.transitions.map(transitionLine);
