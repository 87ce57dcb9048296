/* eslint-disable no-console -- the benchmark prints its report */
/**
 * Scheduler sweep: orders whose authorization lapsed while the service was down, swept by the
 * scheduler through an inquiry to the (sandbox) acquirer to their final state, on PostgreSQL.
 * Half are AUTOMATIC orders the acquirer did capture (its notification was lost): the inquiry
 * finds the capture and they end `captured`. Half are MANUAL orders never captured: the
 * inquiry finds nothing and they end `autoCancelled`. The sandbox runs in this process, so the
 * service's peak RSS is its own.
 *
 * The reference, measured in the same run against the same sandbox: bare signed inquiries
 * (the service's own Antom client, signing and verifying) over the seeded payments at the same
 * concurrency, with no database at all. The sweep's rate over it says what our part costs.
 */
import { SANDBOX_DEFAULTS, createSandbox } from '../src/sandbox/sandbox';
import { sandboxServiceEnv } from '../src/sandbox/standalone';
import { buildAcquirerClients } from '../src/module/acquirer-clients.provider';
import { loadConfig } from '../src/config/app-config';
import { inParallel, openCaptureContext, seedOrders } from './lib/capture-context';
import { countRows, expectEqual } from './lib/checks';
import { freshDatabase } from './lib/databases';
import { runThenStop, startService } from './lib/service';

const DAY = 86_400_000;
const OPEN = "('authorized','capturePending','partiallyCaptured','captureFailed')";

export interface SweepResult {
  orders: number;
  seconds: number;
  perSecond: number;
  peakRssMb: number | null;
  batchSize: number;
  concurrency: number;
  /** Bare signed inquiries per second at the same concurrency (the reference). */
  inquiriesPerSecond: number;
  ratioToInquiries: number;
}

export async function benchSweep(
  count: number,
  batchSize: number,
  concurrency: number,
  timeoutMs: number,
): Promise<SweepResult> {
  const db = await freshDatabase('postgres', `sweep${count}`);
  const quiet = { log: () => undefined, warn: () => undefined };
  const sandbox = await createSandbox({ antom: { clientId: SANDBOX_DEFAULTS.antomClientId }, logger: quiet });
  try {
    const env = {
      ...sandboxServiceEnv(sandbox, SANDBOX_DEFAULTS.antomNotifyPath),
      DATABASE_URL: db.url,
      ADMIN_TOKEN: 'bench-admin-token-0123456789',
      SCHEDULER_INTERVAL_MS: '1000',
      SCHEDULER_BATCH_SIZE: String(batchSize),
      SCHEDULER_CONCURRENCY: String(concurrency),
    };
    const lapsed = new Date(Date.now() - 8 * DAY);
    const ctx = await openCaptureContext(db.url, env);
    const paymentIds: string[] = [];
    try {
      const half = Math.ceil(count / 2);
      const automatic = await seedOrders(ctx, 'sweep-auto', half, {
        pendingCapture: false,
        authorizedAt: lapsed,
        input: { captureMode: 'AUTOMATIC' },
      });
      const manual = await seedOrders(ctx, 'sweep-manual', count - half, {
        pendingCapture: false,
        authorizedAt: lapsed,
      });
      for (const order of [...automatic, ...manual]) paymentIds.push(order.paymentId);
      for (const order of automatic) {
        sandbox.captureByAcquirer(
          'antom',
          order.paymentId,
          { currency: 'USD', value: '10000' },
          { lost: true },
        );
      }
    } finally {
      await ctx.close();
    }
    console.log(`  seeded ${count} lapsed orders`);
    const inquiriesPerSecond = await bareInquiries(env, paymentIds, concurrency);
    console.log(`  reference: ${inquiriesPerSecond.toFixed(1)} bare signed inquiries/s at ${concurrency}`);

    const service = await startService(`sweep-${count}`, env);
    const { value: seconds, peakRssMb } = await runThenStop(service, `sweep ${count}`, async () => {
      const started = performance.now();
      for (;;) {
        const open = await countRows(db, `SELECT COUNT(*) AS n FROM orders WHERE state IN ${OPEN}`);
        if (open === 0) return (performance.now() - started) / 1000;
        if (performance.now() - started > timeoutMs) {
          throw new Error(`sweep: ${open} orders still open after ${timeoutMs} ms`);
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    });
    const half = Math.ceil(count / 2);
    expectEqual(
      `sweep ${count}: captured (AUTOMATIC, found by inquiry)`,
      await countRows(db, "SELECT COUNT(*) AS n FROM orders WHERE state = 'captured'"),
      half,
    );
    expectEqual(
      `sweep ${count}: autoCancelled (MANUAL, nothing captured)`,
      await countRows(db, "SELECT COUNT(*) AS n FROM orders WHERE state = 'autoCancelled'"),
      count - half,
    );
    expectEqual(
      `sweep ${count}: CAPTURE_SUCCEEDED transitions`,
      await countRows(
        db,
        "SELECT COUNT(*) AS n FROM order_transitions WHERE event_type = 'CAPTURE_SUCCEEDED'",
      ),
      half,
    );
    expectEqual(
      `sweep ${count}: DEADLINE_REACHED transitions`,
      await countRows(
        db,
        "SELECT COUNT(*) AS n FROM order_transitions WHERE event_type = 'DEADLINE_REACHED'",
      ),
      count - half,
    );
    expectEqual(
      `sweep ${count}: all transitions`,
      await countRows(db, 'SELECT COUNT(*) AS n FROM order_transitions'),
      count,
    );
    expectEqual(
      `sweep ${count}: leases left`,
      await countRows(db, 'SELECT COUNT(*) AS n FROM orders WHERE lease_owner IS NOT NULL'),
      0,
    );
    expectEqual(`sweep ${count}: captures sent by us`, sandbox.counts().captureCalls, 0);
    const perSecond = count / seconds;
    return {
      orders: count,
      seconds,
      perSecond,
      peakRssMb,
      batchSize,
      concurrency,
      inquiriesPerSecond,
      ratioToInquiries: perSecond / inquiriesPerSecond,
    };
  } finally {
    await sandbox.close();
    await db.drop();
  }
}

/**
 * Signed inquiryPayment calls through the service's Antom client, `concurrency` at a time, over
 * at most 5,000 of the payments (each found, as in the sweep): calls per second.
 */
async function bareInquiries(
  env: Record<string, string>,
  paymentIds: string[],
  concurrency: number,
): Promise<number> {
  const config = loadConfig(env);
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const { antom } = buildAcquirerClients(config.capture, { logger: () => quiet });
  const ids = paymentIds.slice(0, 5000);
  const started = performance.now();
  let answered = 0;
  await inParallel(ids.length, concurrency, async (i) => {
    // The same answers the sweep gets: a capture found (AUTOMATIC), nothing found (MANUAL).
    const r = await antom.inquire({ paymentId: ids[i]!, paymentRequestId: null });
    if (r) answered += 1;
  });
  expectEqual('sweep reference: inquiries answered', answered, ids.length);
  return ids.length / ((performance.now() - started) / 1000);
}
