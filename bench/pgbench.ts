/**
 * The ceiling for ingestion on this machine: pgbench running the same transaction shape as one
 * notification (lock the order row, insert the notification, update the order, insert the
 * transition) on the same database, with as many clients as autocannon had connections.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { query } from './lib/checks';
import type { BenchDatabase } from './lib/databases';

const run = promisify(execFile);

export interface PgbenchResult {
  tps: number;
  latencyMs: number;
  clients: number;
  seconds: number;
}

const RAW_BODY =
  '{"notifyType":"CAPTURE_RESULT","result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success."},' +
  '"paymentId":"ing-postgres-PAY-00000","captureRequestId":"ing-postgres-CR-00000","captureId":"CAP-ing-postgres-CR-00000",' +
  '"captureAmount":{"currency":"USD","value":"10000"},"captureTime":"2026-01-01T00:00:00.000Z"}';

/** One line per statement: pgbench's script syntax. `(SELECT id ...)` maps pgbench's integer to an order id. */
function script(): string {
  const id = '(SELECT id FROM pgbench_order_ids WHERE n = :k)';
  return [
    '\\set k random(1, :orders)',
    'BEGIN;',
    `SELECT id, snapshot, version FROM orders WHERE id = ${id} FOR UPDATE;`,
    'INSERT INTO inbound_notifications (acquirer, notify_type, dedupe_key, payment_id, capture_request_id, order_id, ' +
      "outcome, detail, raw_body, received_at, processed_at) VALUES ('antom', 'CAPTURE_RESULT', " +
      `'pgbench:' || gen_random_uuid(), 'PAY', 'CR', ${id}, 'applied', 'pgbench', '${RAW_BODY}', now(), now());`,
    `UPDATE orders SET version = version + 1, updated_at = now(), snapshot = snapshot, next_check_at = NULL WHERE id = ${id};`,
    'INSERT INTO order_transitions (order_id, from_state, to_state, event_type, source, payload, at) VALUES ' +
      `(${id}, 'capturePending', 'captured', 'CAPTURE_SUCCEEDED', 'pgbench', ` +
      `'{"captureRequestId":"ing-postgres-CR-00000","amount":{"currency":"USD","value":"10000"},"at":"2026-01-01T00:00:00.000Z"}', now());`,
    'END;',
    '',
  ].join('\n');
}

export async function benchPgbench(
  db: BenchDatabase,
  clients: number,
  seconds: number,
): Promise<PgbenchResult> {
  const orders = (await query<{ n: string }>(db, 'SELECT COUNT(*) AS n FROM orders'))[0]!.n;
  await query(db, 'CREATE TABLE pgbench_order_ids AS SELECT row_number() OVER () AS n, id FROM orders');
  await query(db, 'ALTER TABLE pgbench_order_ids ADD PRIMARY KEY (n)');
  const dir = mkdtempSync(join(tmpdir(), 'oc-pgbench-'));
  try {
    const file = join(dir, 'notification.sql');
    writeFileSync(file, script());
    const url = new URL(db.url);
    const args = [
      '-n',
      '-M',
      'prepared',
      '-c',
      String(clients),
      '-j',
      '2',
      '-T',
      String(seconds),
      '-D',
      `orders=${orders}`,
      '-f',
      file,
    ];
    args.push(
      '-h',
      url.hostname,
      '-p',
      url.port || '5432',
      '-U',
      decodeURIComponent(url.username || 'postgres'),
      db.name,
    );
    const { stdout } = await run(pgbenchBinary(), args, {
      env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) },
    });
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1]);
    const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1]);
    const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
    if (!tps || failed > 0) throw new Error(`pgbench did not run cleanly:\n${stdout}`);
    return { tps, latencyMs, clients, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await query(db, 'DROP TABLE IF EXISTS pgbench_order_ids');
  }
}

/** `pgbench` on the PATH, else the newest PostgreSQL install's. */
function pgbenchBinary(): string {
  const onPath = (process.env.PATH ?? '')
    .split(':')
    .map((d) => join(d, 'pgbench'))
    .find((p) => existsSync(p));
  if (onPath) return onPath;
  const root = '/usr/lib/postgresql';
  const installed = existsSync(root)
    ? readdirSync(root)
        .sort((a, b) => Number(b) - Number(a))
        .map((v) => join(root, v, 'bin/pgbench'))
        .filter((p) => existsSync(p))
    : [];
  if (installed.length === 0)
    throw new Error('pgbench not found: install postgresql-client or put it on PATH');
  return installed[0]!;
}
