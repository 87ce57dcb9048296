/* eslint-disable no-console -- the benchmark prints its report */
/**
 * Scheduled captures against a slow acquirer: MANUAL orders whose captureAt has come, all due at
 * once, captured by the scheduler through the sandbox acquirer answering every capture after
 * `latencyMs`. With `concurrency` calls in flight the acquirer allows concurrency / latency
 * captures a second; the ratio says how close the scheduler gets. Timed from the service
 * answering /health to the last order captured. Notifications are lost on purpose: the capture
 * answer alone must capture each order, once.
 */
import { SANDBOX_DEFAULTS, createSandbox } from '../src/sandbox/sandbox';
import { sandboxServiceEnv } from '../src/sandbox/standalone';
import { buildAcquirerClients } from '../src/module/acquirer-clients.provider';
import { loadConfig } from '../src/config/app-config';
import { inParallel, openCaptureContext, seedOrders } from './lib/capture-context';
import { countRows, expectEqual } from './lib/checks';
import { freshDatabase } from './lib/databases';
import { runThenStop, startService } from './lib/service';

export interface ScheduledCapturesOptions {
  orders: number;
  concurrency: number;
  latencyMs: number;
  batchSize: number;
  timeoutMs: number;
}

export interface ScheduledCapturesResult {
  orders: number;
  concurrency: number;
  latencyMs: number;
  seconds: number;
  perSecond: number;
  /** concurrency / latency: what the acquirer allows with that many calls in flight. */
  ceilingPerSecond: number;
  ratio: number;
  /**
   * Bare signed captures through the service's own Antom client against a sandbox of the same
   * latency, at the same concurrency, with no database: what this machine allows at all (the
   * sandbox signs its answers on the same two cores).
   */
  bareCapturesPerSecond: number;
  peakRssMb: number | null;
}

export async function benchScheduledCaptures(o: ScheduledCapturesOptions): Promise<ScheduledCapturesResult> {
  const db = await freshDatabase('postgres', `captures${o.orders}`);
  const quiet = { log: () => undefined, warn: () => undefined };
  const sandbox = await createSandbox({
    antom: { clientId: SANDBOX_DEFAULTS.antomClientId },
    captureLatencyMs: o.latencyMs,
    logger: quiet,
  });
  try {
    const env = {
      ...sandboxServiceEnv(sandbox, SANDBOX_DEFAULTS.antomNotifyPath),
      DATABASE_URL: db.url,
      ADMIN_TOKEN: 'bench-admin-token-0123456789',
      LOG_LEVEL: 'warn',
      SCHEDULER_INTERVAL_MS: '100',
      SCHEDULER_BATCH_SIZE: String(o.batchSize),
      SCHEDULER_CONCURRENCY: String(o.concurrency),
    };
    const ctx = await openCaptureContext(db.url, env);
    try {
      const seeded = await seedOrders(ctx, 'sched', o.orders, {
        pendingCapture: false,
        input: { captureAt: new Date(Date.now() - 60_000).toISOString() },
      });
      for (const order of seeded) sandbox.script(order.paymentId, { notify: { lost: true } });
    } finally {
      await ctx.close();
    }
    console.log(`  seeded ${o.orders} MANUAL orders due now`);
    const bareCapturesPerSecond = await bareCaptures(o);
    console.log(
      `  reference: ${bareCapturesPerSecond.toFixed(1)} bare signed captures/s at ${o.concurrency}`,
    );

    const service = await startService(`captures-${o.orders}`, env);
    const { value: seconds, peakRssMb } = await runThenStop(service, 'scheduled captures', async () => {
      const started = performance.now();
      for (;;) {
        const done = await countRows(db, "SELECT COUNT(*) AS n FROM orders WHERE state = 'captured'");
        if (done === o.orders) return (performance.now() - started) / 1000;
        if (performance.now() - started > o.timeoutMs) {
          throw new Error(
            `scheduled captures: ${o.orders - done} orders not captured after ${o.timeoutMs} ms`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    });

    expectEqual(
      'scheduled captures: CAPTURE_SUCCEEDED transitions',
      await countRows(
        db,
        "SELECT COUNT(*) AS n FROM order_transitions WHERE event_type = 'CAPTURE_SUCCEEDED'",
      ),
      o.orders,
    );
    expectEqual(
      'scheduled captures: all transitions (request and success per order)',
      await countRows(db, 'SELECT COUNT(*) AS n FROM order_transitions'),
      2 * o.orders,
    );
    const counts = sandbox.counts();
    expectEqual('scheduled captures: capture calls at the acquirer', counts.captureCalls, o.orders);
    const payments = Object.values(counts.byPaymentId);
    expectEqual('scheduled captures: payments captured', payments.length, o.orders);
    expectEqual(
      'scheduled captures: payments called other than exactly once',
      payments.filter((p) => p.calls !== 1 || p.succeeded !== 1).length,
      0,
    );
    expectEqual(
      'scheduled captures: leases left',
      await countRows(db, 'SELECT COUNT(*) AS n FROM orders WHERE lease_owner IS NOT NULL'),
      0,
    );
    const perSecond = o.orders / seconds;
    const ceilingPerSecond = o.concurrency / (o.latencyMs / 1000);
    return {
      orders: o.orders,
      concurrency: o.concurrency,
      latencyMs: o.latencyMs,
      seconds,
      perSecond,
      ceilingPerSecond,
      ratio: perSecond / ceilingPerSecond,
      bareCapturesPerSecond,
      peakRssMb,
    };
  } finally {
    await sandbox.close();
    await db.drop();
  }
}

/** Captures of fresh payments on a sandbox of their own (the run's sandbox counts stay exact). */
async function bareCaptures(o: ScheduledCapturesOptions): Promise<number> {
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const sandbox = await createSandbox({
    antom: { clientId: SANDBOX_DEFAULTS.antomClientId },
    captureLatencyMs: o.latencyMs,
    logger: quiet,
  });
  try {
    const config = loadConfig({
      ...sandboxServiceEnv(sandbox, SANDBOX_DEFAULTS.antomNotifyPath),
      DATABASE_URL: 'sqlite::memory:',
      ADMIN_TOKEN: 'bench-admin-token-0123456789',
    });
    const { antom } = buildAcquirerClients(config.capture, { logger: () => quiet });
    const count = Math.min(o.orders, 2000);
    let succeeded = 0;
    const started = performance.now();
    await inParallel(count, o.concurrency, async (i) => {
      const r = await antom.capture({
        paymentId: `bare-PAY-${i}`,
        captureRequestId: `bare-CR-${i}`,
        amount: { currency: 'USD', value: '10000' },
        isLast: true,
      });
      if (r.status === 'S') succeeded += 1;
    });
    expectEqual('scheduled captures reference: captures answered S', succeeded, count);
    return count / ((performance.now() - started) / 1000);
  } finally {
    await sandbox.close();
  }
}
