/**
 * Multi-instance safety as operators would run it: three service processes (node
 * dist/src/main.js, ACQUIRER_MODE=live) share one PostgreSQL database and one sandbox acquirer
 * process; 1,000 orders fall due at once. Every order must be captured exactly once (the
 * sandbox's counts prove it) and none may be left pending.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import type { SandboxCounts } from '../../src/sandbox/sandbox-types';
import { registration } from '../support/capture-testing';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { buildOnce, listeningUrl, spawnService, type ServiceProcess } from '../process/service-process';
import { TOKEN } from '../support/http-app';

const ORDERS = 1000;
const INSTANCES = 3;
const ROOT = resolve(__dirname, '../..');

jest.setTimeout(900_000);

async function eachConcurrently<T>(items: T[], workers: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

function startSandboxProcess(
  dir: string,
): Promise<{ url: string; env: Record<string, string>; stop(): void }> {
  const child = spawn(process.execPath, [join(ROOT, 'dist/src/sandbox/main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      SANDBOX_PORT: '0',
      SANDBOX_KEYS_FILE: join(dir, 'sandbox-keys.json'),
      SANDBOX_TIME_SCALE: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolveReady, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.includes('"ready"'));
      if (!line) return;
      const ready = JSON.parse(line) as { url: string; keysFile: string };
      const { env } = JSON.parse(readFileSync(ready.keysFile, 'utf8')) as { env: Record<string, string> };
      resolveReady({ url: ready.url, env, stop: () => child.kill('SIGTERM') });
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited ${code}: ${out}`)));
  });
}

describe('three service processes, one sandbox process, one PostgreSQL database', () => {
  let dir: string;
  let db: TestDatabase;
  let sandbox: Awaited<ReturnType<typeof startSandboxProcess>>;
  const services: ServiceProcess[] = [];

  beforeAll(async () => {
    await buildOnce();
    dir = mkdtempSync(join(tmpdir(), 'oc-instances-'));
    db = await createTestDatabase('postgres');
    sandbox = await startSandboxProcess(dir);
  });

  afterAll(async () => {
    for (const s of services) s.child.kill('SIGTERM');
    await Promise.all(services.map((s) => s.exited));
    sandbox?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${ORDERS} orders due at once: each captured exactly once, none left pending`, async () => {
    const common = {
      ...sandbox.env,
      DATABASE_URL: db.url,
      ADMIN_TOKEN: TOKEN,
      LOG_LEVEL: 'info',
      INQUIRY_BACKOFF_MS: '2000,5000',
      SCHEDULER_BATCH_SIZE: '50',
    };
    // Registration first, by an instance whose jobs are off, so that every order is due at once
    // when the three schedulers start.
    const registrar = spawnService({ ...common, SCHEDULER_ENABLED: 'false' });
    const registrarUrl = await listeningUrl(registrar);
    const due = new Date(Date.now() - 60_000).toISOString();
    const inputs = Array.from({ length: ORDERS }, () => registration({ captureAt: due }));
    await eachConcurrently(inputs, 16, async (input) => {
      const res = await fetch(`${registrarUrl}/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      if (res.status !== 201) throw new Error(`registration answered ${res.status}`);
    });
    registrar.child.kill('SIGTERM');
    await registrar.exited;

    for (let i = 0; i < INSTANCES; i++) {
      services.push(
        spawnService({
          ...common,
          MIGRATE_ON_START: 'false',
          SCHEDULER_ENABLED: 'true',
          SCHEDULER_INTERVAL_MS: '100',
        }),
      );
    }
    const urls = await Promise.all(services.map((s) => listeningUrl(s)));
    await fetch(`${sandbox.url}/sandbox/config`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ notifyBaseUrl: urls }),
    });

    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const owners = new Set<string>();
    try {
      const deadline = Date.now() + 480_000;
      let captured = 0;
      while (captured < ORDERS && Date.now() < deadline) {
        const leases = await pg.query<{ owner: string }>(
          'SELECT DISTINCT lease_owner AS owner FROM orders WHERE lease_owner IS NOT NULL',
        );
        for (const row of leases.rows) owners.add(row.owner);
        const r = await pg.query<{ n: string }>("SELECT count(*) AS n FROM orders WHERE state = 'captured'");
        captured = Number(r.rows[0]!.n);
        await new Promise((r2) => setTimeout(r2, 50));
      }
      const states = await pg.query<{ state: string; n: string }>(
        'SELECT state, count(*) AS n FROM orders GROUP BY state',
      );
      expect(Object.fromEntries(states.rows.map((r) => [r.state, Number(r.n)]))).toEqual({
        captured: ORDERS,
      });
      const pending = await pg.query("SELECT 1 FROM capture_attempts WHERE status <> 'succeeded'");
      expect(pending.rowCount).toBe(0);
      const attempts = await pg.query('SELECT 1 FROM capture_attempts');
      expect(attempts.rowCount).toBe(ORDERS);
    } finally {
      await pg.end();
    }
    // More than one process claimed work (their lease names were seen on the rows).
    expect(owners.size).toBeGreaterThan(1);

    const counts = (await (await fetch(`${sandbox.url}/sandbox/counts`)).json()) as SandboxCounts;
    expect(counts.captureCalls).toBe(ORDERS);
    const payments = Object.values(counts.byPaymentId);
    expect(payments).toHaveLength(ORDERS);
    expect(payments.filter((p) => p.calls !== 1 || p.captures !== 1 || p.succeeded !== 1)).toEqual([]);
    const requests = Object.values(counts.byCaptureRequestId);
    expect(requests).toHaveLength(ORDERS);
    expect(requests.filter((r) => r.calls !== 1)).toEqual([]);
    for (const s of services) expect(s.child.exitCode).toBeNull();
  });
});
