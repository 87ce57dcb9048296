/**
 * The ceiling for ingestion on this machine: pgbench running the same transaction shape as one
 * notification (script() below) on the same database, with as many clients as autocannon had
 * connections.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { query } from './lib/checks';
import type { BenchDatabase } from './lib/databases';

const run = promisify(execFile);

export interface PgbenchResult {
  tps: number;
  latencyMs: number;
  /** The 99th percentile of the transactions' latencies, from pgbench's per-transaction log. */
  p99Ms: number;
  clients: number;
  seconds: number;
}

const RAW_BODY =
  '{"notifyType":"CAPTURE_RESULT","result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success."},' +
  '"paymentId":"ing-postgres-PAY-00000","captureRequestId":"ing-postgres-CR-00000","captureId":"CAP-ing-postgres-CR-00000",' +
  '"captureAmount":{"currency":"USD","value":"10000"},"captureTime":"2026-01-01T00:00:00.000Z"}';

const OUTBOX_PAYLOAD =
  '{"id":"00000000-0000-4000-8000-000000000000","type":"order.captured","occurredAt":"2026-01-01T00:00:00.000Z",' +
  '"order":{"id":"x","merchantOrderId":"x","acquirer":"antom","paymentId":"ing-postgres-PAY-00000","state":"captured",' +
  '"amount":{"currency":"USD","value":"10000"},"capturedAmount":{"currency":"USD","value":"10000"},"review": null}}';

/**
 * The shapes pgbench runs, one line per statement (pgbench's script syntax); `(SELECT id ...)`
 * maps pgbench's integer to an order id. `service`: every statement the service runs for one
 * notification, in its order (the insert that is the duplicate check, the order's lock, the
 * order, the transition, the attempt, the outbox event, the notification's outcome), each its
 * own prepared statement. `narrow`: the four-statement shape earlier runs compared against.
 */
export type PgbenchShape = 'service' | 'narrow';

function script(shape: PgbenchShape): string {
  const id = '(SELECT id FROM pgbench_order_ids WHERE n = :k)';
  const cr = '(SELECT cr FROM pgbench_order_ids WHERE n = :k)';
  const lock = `SELECT id, snapshot, version FROM orders WHERE id = ${id} FOR UPDATE;`;
  const notification = (outcome: string, orderId: string, processed: string) =>
    'INSERT INTO inbound_notifications (acquirer, notify_type, dedupe_key, payment_id, capture_request_id, order_id, ' +
    "outcome, detail, raw_body, received_at, processed_at) VALUES ('antom', 'CAPTURE_RESULT', " +
    `'pgbench:' || gen_random_uuid(), 'PAY', 'CR', ${orderId}, '${outcome}', 'pgbench', '${RAW_BODY}', now(), ${processed})`;
  const order = `UPDATE orders SET version = version + 1, updated_at = now(), snapshot = snapshot, next_check_at = NULL WHERE id = ${id};`;
  const transition =
    'INSERT INTO order_transitions (order_id, from_state, to_state, event_type, source, payload, at) VALUES ' +
    `(${id}, 'capturePending', 'captured', 'CAPTURE_SUCCEEDED', 'pgbench', ` +
    `'{"captureRequestId":"ing-postgres-CR-00000","amount":{"currency":"USD","value":"10000"},"at":"2026-01-01T00:00:00.000Z"}', now());`;
  if (shape === 'narrow') {
    return [
      '\\set k random(1, :orders)',
      'BEGIN;',
      lock,
      `${notification('applied', id, 'now()')};`,
      order,
      transition,
      'END;',
      '',
    ].join('\n');
  }
  return [
    '\\set k random(1, :orders)',
    'BEGIN;',
    `${notification('orphan', 'NULL', 'NULL')} ON CONFLICT (dedupe_key) DO NOTHING RETURNING id AS notification_id \\gset`,
    lock,
    order,
    transition,
    "UPDATE capture_attempts SET amount = amount, status = 'succeeded', capture_id = 'CAP', result_code = NULL, " +
      `resolved_at = now(), next_inquiry_at = NULL, updated_at = now() WHERE capture_request_id = ${cr} RETURNING created_at;`,
    'INSERT INTO outbox_events (event_id, order_id, type, payload, created_at, next_attempt_at) VALUES ' +
      `(CAST(gen_random_uuid() AS text), ${id}, 'order.captured', '${OUTBOX_PAYLOAD}', now(), now());`,
    `UPDATE inbound_notifications SET order_id = ${id}, outcome = 'applied', detail = 'capturePending -> captured', ` +
      'processed_at = now() WHERE id = :notification_id;',
    'END;',
    '',
  ].join('\n');
}

export async function benchPgbench(
  db: BenchDatabase,
  clients: number,
  seconds: number,
  shape: PgbenchShape,
): Promise<PgbenchResult> {
  const orders = (await query<{ n: string }>(db, 'SELECT COUNT(*) AS n FROM orders'))[0]!.n;
  await query(
    db,
    'CREATE TABLE pgbench_order_ids AS SELECT row_number() OVER () AS n, o.id, ' +
      '(SELECT a.capture_request_id FROM capture_attempts a WHERE a.order_id = o.id LIMIT 1) AS cr FROM orders o',
  );
  await query(db, 'ALTER TABLE pgbench_order_ids ADD PRIMARY KEY (n)');
  const dir = mkdtempSync(join(tmpdir(), 'oc-pgbench-'));
  try {
    const file = join(dir, 'notification.sql');
    writeFileSync(file, script(shape));
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
      // One line per transaction (its latency in microseconds is the third field): the p99.
      '--log',
      `--log-prefix=${join(dir, 'tx')}`,
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
    return { tps, latencyMs, p99Ms: p99FromLogs(dir), clients, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await query(db, 'DROP TABLE IF EXISTS pgbench_order_ids');
  }
}

function p99FromLogs(dir: string): number {
  const micros = readdirSync(dir)
    .filter((f) => f.startsWith('tx'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n'))
    .map((line) => Number(line.split(' ')[2]))
    .filter((us) => Number.isFinite(us) && us > 0)
    .sort((a, b) => a - b);
  if (micros.length === 0) throw new Error('pgbench wrote no transaction log');
  return Math.round(micros[Math.min(micros.length - 1, Math.floor(micros.length * 0.99))]! / 100) / 10;
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
