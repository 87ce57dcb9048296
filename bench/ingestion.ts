/**
 * Webhook ingestion: signed Antom notifyCapture successes for distinct orders waiting in
 * capturePending, 20% of the deliveries repeated (as Antom retries), sent by autocannon at 32
 * connections to the real service process. Checks afterwards that every order was captured
 * exactly once: one CAPTURE_SUCCEEDED transition per order, whatever the duplicates.
 */
import autocannon from 'autocannon';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { signAntomMessage } from '../src/acquirers/antom/antom-signature';
import { openCaptureContext, seedOrders, type SeededOrder } from './lib/capture-context';
import { countRows, expectEqual } from './lib/checks';
import { freshDatabase, type BenchDatabase, type BenchDatabaseKind } from './lib/databases';
import { runThenStop, startService } from './lib/service';

const CLIENT_ID = 'BENCH_CLIENT_0001';
const NOTIFY_PATH = '/webhooks/antom';

export interface IngestionOptions {
  orders: number;
  warmup: number;
  connections: number;
  duplicateShare: number;
}

export interface IngestionResult {
  database: BenchDatabaseKind;
  orders: number;
  deliveries: number;
  duplicates: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  peakRssMb: number | null;
  /** Kept for pgbench, which runs on it next; the caller drops it. */
  db: BenchDatabase;
}

interface Delivery {
  headers: Record<string, string>;
  body: string;
}

export async function benchIngestion(kind: BenchDatabaseKind, o: IngestionOptions): Promise<IngestionResult> {
  const db = await freshDatabase(kind, 'ingest');
  const antom = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const env = {
    DATABASE_URL: db.url,
    ACQUIRER_MODE: 'live',
    ADMIN_TOKEN: 'bench-admin-token-0123456789',
    SCHEDULER_ENABLED: 'false',
    ANTOM_BASE_URL: 'http://127.0.0.1:9',
    ANTOM_CLIENT_ID: CLIENT_ID,
    ANTOM_MERCHANT_PRIVATE_KEY: merchant.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    ANTOM_PUBLIC_KEY: antom.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };

  const ctx = await openCaptureContext(db.url, env);
  let seeded: SeededOrder[];
  try {
    seeded = await seedOrders(ctx, `ing-${kind}`, o.orders + o.warmup, { pendingCapture: true });
  } finally {
    await ctx.close();
  }
  const warm = seeded.slice(0, o.warmup).map((s) => signed(antom.privateKey, s));
  const distinct = seeded.slice(o.warmup).map((s) => signed(antom.privateKey, s));
  const deliveries = withDuplicates(distinct, o.duplicateShare, o.connections);

  const service = await startService(`ingest-${kind}`, env);
  const run = await runThenStop(service, `ingestion [${kind}]`, async () => {
    await send(service.url, warm, o.connections);
    // autocannon's own duration has a one-second tick: time the run here.
    const started = performance.now();
    const answers = await send(service.url, deliveries, o.connections);
    return { answers, seconds: (performance.now() - started) / 1000 };
  });
  const { answers: result, seconds } = run.value;
  const peakRssMb = run.peakRssMb;
  expectEqual(`ingestion [${kind}]: non-2xx answers`, result.non2xx + result.errors + result.timeouts, 0);
  const total = o.orders + o.warmup;
  expectEqual(
    `ingestion [${kind}]: captured orders`,
    await countRows(db, "SELECT COUNT(*) AS n FROM orders WHERE state = 'captured'"),
    total,
  );
  expectEqual(
    `ingestion [${kind}]: CAPTURE_SUCCEEDED transitions`,
    await countRows(db, "SELECT COUNT(*) AS n FROM order_transitions WHERE event_type = 'CAPTURE_SUCCEEDED'"),
    total,
  );
  expectEqual(
    `ingestion [${kind}]: all transitions`,
    await countRows(db, 'SELECT COUNT(*) AS n FROM order_transitions'),
    2 * total,
  );
  expectEqual(
    `ingestion [${kind}]: notifications stored as applied`,
    await countRows(db, "SELECT COUNT(*) AS n FROM inbound_notifications WHERE outcome = 'applied'"),
    total,
  );
  return {
    database: kind,
    orders: o.orders,
    deliveries: deliveries.length,
    duplicates: deliveries.length - distinct.length,
    seconds,
    perSecond: deliveries.length / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    peakRssMb,
    db,
  };
}

function signed(privateKey: KeyObject, s: SeededOrder): Delivery {
  const body = JSON.stringify({
    notifyType: 'CAPTURE_RESULT',
    result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' },
    paymentId: s.paymentId,
    captureRequestId: s.captureRequestId,
    captureId: `CAP-${s.captureRequestId}`,
    captureAmount: { currency: 'USD', value: '10000' },
    captureTime: new Date().toISOString(),
  });
  const requestTime = new Date().toISOString();
  const signature = signAntomMessage(privateKey, {
    method: 'POST',
    path: NOTIFY_PATH,
    clientId: CLIENT_ID,
    requestTime,
    body,
  });
  return {
    body,
    headers: {
      'content-type': 'application/json; charset=UTF-8',
      'client-id': CLIENT_ID,
      'request-time': requestTime,
      signature,
    },
  };
}

/**
 * The distinct deliveries with repeats mixed in, so that repeats make up `share` of the whole,
 * each sent shortly after its original (often while the original is still in flight). The total
 * is a multiple of the connection count, so that autocannon sends exactly it.
 */
function withDuplicates(distinct: Delivery[], share: number, connections: number): Delivery[] {
  let total = Math.round(distinct.length / (1 - share));
  total += (connections - (total % connections)) % connections;
  const repeats = total - distinct.length;
  let seed = 42;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const slots: { at: number; delivery: Delivery }[] = distinct.map((delivery, i) => ({ at: i, delivery }));
  for (let r = 0; r < repeats; r += 1) {
    const original = Math.floor(random() * distinct.length);
    slots.push({ at: original + 0.5 + random() * 200, delivery: distinct[original]! });
  }
  return slots.sort((a, b) => a.at - b.at).map((s) => s.delivery);
}

/** Every delivery exactly once, over `connections` keep-alive connections. */
async function send(url: string, deliveries: Delivery[], connections: number): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url,
    connections,
    amount: deliveries.length,
    requests: [
      {
        method: 'POST',
        path: NOTIFY_PATH,
        setupRequest: (req) => {
          const d = deliveries[next++ % deliveries.length];
          return { ...req, headers: d!.headers, body: d!.body };
        },
      },
    ],
  });
}
