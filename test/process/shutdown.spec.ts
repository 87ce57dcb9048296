/**
 * Graceful shutdown of `node dist/src/main.js` with work in flight, on PostgreSQL: SIGTERM stops
 * the jobs from claiming more, lets the acquirer calls and requests in progress finish and
 * commit, releases the leases, closes the database and exits 0. Nothing acknowledged or
 * answered is lost, and a restart finishes the rest without capturing anything twice.
 */
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { signAntomNotification } from '../fixtures/seed-bodies';
import { antomCaptureBody, generateWebhookKeys, webhookEnv } from '../support/webhooks';
import { buildOnce, listeningUrl, spawnService, type ServiceProcess } from './service-process';
import { startSlowAcquirer, type SlowAcquirer } from './slow-acquirer';

jest.setTimeout(300_000);

const ADMIN_TOKEN = 'shutdown-test-admin-token';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };

beforeAll(() => buildOnce());

async function count(db: TestDatabase, sql: string): Promise<number> {
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(sql)).rows[0]!.n);
  } finally {
    await client.end();
  }
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function register(
  url: string,
  paymentId: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await fetch(`${url}/orders`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({
      merchantOrderId: `M-${paymentId}`,
      acquirer: 'antom',
      paymentId,
      amount: { currency: 'USD', value: '10000' },
      captureMode: 'MANUAL',
      ...extra,
    }),
  });
  if (res.status !== 201) throw new Error(`register ${paymentId}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

async function stop(service: ServiceProcess): Promise<void> {
  service.child.kill('SIGTERM');
  expect(await service.exited).toEqual({ code: 0, signal: null });
  expect(service.lines.some((l) => l.msg === 'shut down cleanly')).toBe(true);
}

describe('SIGTERM with scheduled captures in flight', () => {
  const N = 160;
  let acquirer: SlowAcquirer;
  let db: TestDatabase;
  beforeAll(async () => {
    acquirer = await startSlowAcquirer(150);
    db = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    await acquirer.close();
    await db.drop();
  });

  it('finishes the calls it started, claims nothing more, releases its leases; a restart does the rest once', async () => {
    const env = {
      ...acquirer.serviceEnv,
      DATABASE_URL: db.url,
      ADMIN_TOKEN,
      LOG_LEVEL: 'info',
      SCHEDULER_INTERVAL_MS: '100',
      SCHEDULER_BATCH_SIZE: '8',
      SCHEDULER_CONCURRENCY: '8',
    };
    let service = spawnService(env);
    let url = await listeningUrl(service);
    const captureAt = new Date(Date.now() + 1000).toISOString();
    for (let i = 0; i < N; i += 1) {
      const paymentId = `SHUT-S-${process.pid}-${i}`;
      acquirer.sandbox.script(paymentId, { notify: { lost: true } });
      await register(url, paymentId, { captureAt });
    }
    await until(
      'some captures',
      async () => (await count(db, "SELECT COUNT(*) AS n FROM orders WHERE state = 'captured'")) >= 16,
    );
    await stop(service);

    const captured = await count(db, "SELECT COUNT(*) AS n FROM orders WHERE state = 'captured'");
    expect(await count(db, "SELECT COUNT(*) AS n FROM orders WHERE state = 'capturePending'")).toBe(0);
    expect(await count(db, 'SELECT COUNT(*) AS n FROM orders WHERE lease_owner IS NOT NULL')).toBe(0);
    expect(captured).toBeLessThan(N);
    expect(acquirer.sandbox.counts().captureCalls).toBe(captured);

    service = spawnService(env);
    url = await listeningUrl(service);
    await until(
      'every capture',
      async () => (await count(db, "SELECT COUNT(*) AS n FROM orders WHERE state = 'captured'")) === N,
    );
    await stop(service);
    expect(acquirer.sandbox.counts().captureCalls).toBe(N);
    expect(
      await count(db, "SELECT COUNT(*) AS n FROM order_transitions WHERE event_type = 'CAPTURE_SUCCEEDED'"),
    ).toBe(N);
    expect(await count(db, 'SELECT COUNT(*) AS n FROM orders WHERE lease_owner IS NOT NULL')).toBe(0);
  });
});

describe('SIGTERM with notifications in flight', () => {
  const N = 120;
  const keys = generateWebhookKeys();
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });
  afterAll(() => db.drop());

  it('stores every notification it acknowledged; the retries of the rest are applied after a restart', async () => {
    const env = webhookEnv(keys, { DATABASE_URL: db.url, ADMIN_TOKEN, LOG_LEVEL: 'info' });
    let service = spawnService(env);
    let url = await listeningUrl(service);
    const deliveries: { captureRequestId: string; body: string }[] = [];
    for (let i = 0; i < N; i += 1) {
      const paymentId = `SHUT-W-${process.pid}-${i}`;
      const id = await register(url, paymentId);
      const res = await fetch(`${url}/admin/orders/${id}/capture`, {
        method: 'POST',
        headers: auth,
        body: '{}',
      });
      expect(res.status).toBe(202);
      const { captureRequestId } = (await res.json()) as { captureRequestId: string };
      deliveries.push({ captureRequestId, body: antomCaptureBody({ paymentId, captureRequestId }) });
    }
    // Antom's retries: every fifth notification arrives twice.
    const sends = deliveries.flatMap((d, i) => (i % 5 === 0 ? [d, d] : [d]));
    const answers = new Map<number, number | 'network'>();
    const post = async (base: string, i: number) => {
      const { body } = sends[i]!;
      try {
        const res = await fetch(`${base}/webhooks/antom`, {
          method: 'POST',
          headers: signAntomNotification(body, keys.antom.privateKey),
          body,
        });
        await res.arrayBuffer();
        answers.set(i, res.status);
      } catch {
        answers.set(i, 'network');
      }
    };

    let next = 0;
    const senders = Array.from({ length: 12 }, async () => {
      while (next < sends.length) await post(url, next++);
    });
    await until('the first acknowledgements', async () => answers.size >= 30);
    service.child.kill('SIGTERM');
    await Promise.all(senders);
    expect(await service.exited).toEqual({ code: 0, signal: null });

    const acknowledged = [...answers]
      .filter(([, status]) => status === 200)
      .map(([i]) => sends[i]!.captureRequestId);
    expect(acknowledged.length).toBeGreaterThanOrEqual(30);
    for (const captureRequestId of new Set(acknowledged)) {
      expect(
        await count(
          db,
          `SELECT COUNT(*) AS n FROM inbound_notifications WHERE capture_request_id = '${captureRequestId}' AND outcome = 'applied'`,
        ),
      ).toBe(1);
    }

    service = spawnService(env);
    url = await listeningUrl(service);
    const retries = [...answers].filter(([, status]) => status !== 200).map(([i]) => i);
    for (const i of retries) {
      await post(url, i);
      expect(answers.get(i)).toBe(200);
    }
    await stop(service);
    expect(await count(db, "SELECT COUNT(*) AS n FROM orders WHERE state = 'captured'")).toBe(N);
    expect(
      await count(db, "SELECT COUNT(*) AS n FROM order_transitions WHERE event_type = 'CAPTURE_SUCCEEDED'"),
    ).toBe(N);
    expect(await count(db, "SELECT COUNT(*) AS n FROM inbound_notifications WHERE outcome = 'applied'")).toBe(
      N,
    );
  });
});
