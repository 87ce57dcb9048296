/* eslint-disable no-console -- the benchmark prints its report */
/**
 * `npm run bench`: webhook ingestion (PostgreSQL with the pgbench ceiling, and SQLite), scheduled
 * captures against a slow acquirer, the scheduler sweep, cold start. Every benchmark checks its
 * own result and the run exits 1 if one is wrong. Sizes come from the environment:
 *   BENCH=ingestion,captures,sweep,coldstart    which ones (default all)
 *   BENCH_INGEST_ORDERS=20000          distinct notifications per database (+20% duplicates)
 *   BENCH_DATABASES=postgres,sqlite    the ingestion runs
 *   BENCH_CAPTURE_ORDERS=2000          scheduled captures due at once
 *   BENCH_CAPTURE_LATENCY_MS=300       the sandbox acquirer's answer time for each capture
 *   BENCH_CONCURRENCY=64               SCHEDULER_CONCURRENCY (captures and sweep)
 *   BENCH_SWEEP_ORDERS=10000,100000    one sweep per count, each on a fresh database
 *   BENCH_SWEEP_BATCH=100              SCHEDULER_BATCH_SIZE (captures and sweep)
 *   BENCH_PGBENCH_SECONDS=15, BENCH_SQLITE_RAW_SECONDS=5, BENCH_COLD_RUNS=5
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchColdStart, median } from './cold-start';
import { benchIngestion, type IngestionResult } from './ingestion';
import { BenchFailure } from './lib/checks';
import { postgresVersion } from './lib/databases';
import { ROOT } from './lib/paths';
import { benchPgbench } from './pgbench';
import { benchScheduledCaptures } from './scheduled-captures';
import { benchSqliteRaw } from './sqlite-raw';
import { benchSweep } from './sweep';

const env = process.env;
const selected = new Set((env.BENCH ?? 'ingestion,captures,sweep,coldstart').split(',').map((s) => s.trim()));
const num = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);

async function main(): Promise<void> {
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres: await postgresVersion(),
  };
  console.log(
    `machine: ${machine.cores} x ${machine.cpu}, ${machine.memoryGb} GB, Node ${machine.node}, PostgreSQL ${machine.postgres}`,
  );
  const results: Record<string, unknown> = { machine, at: new Date().toISOString() };

  if (selected.has('ingestion')) {
    const options = {
      orders: num('BENCH_INGEST_ORDERS', 20000),
      warmup: 2000,
      connections: 32,
      duplicateShare: 0.2,
    };
    const rows: Record<string, unknown>[] = [];
    for (const kind of ingestionDatabases()) {
      console.log(
        `\ningestion [${kind}]: ${options.orders} orders, 20% duplicates, ${options.connections} connections`,
      );
      const r = await benchIngestion(kind, options);
      try {
        const row: Record<string, unknown> = summary(r);
        if (kind === 'postgres') {
          const seconds = num('BENCH_PGBENCH_SECONDS', 15);
          const pg = await benchPgbench(r.db, options.connections, seconds, 'service');
          row.pgbenchTps = round(pg.tps);
          row.pgbenchLatencyMs = pg.latencyMs;
          row.pgbenchP99Ms = pg.p99Ms;
          row.p99ToPgbenchP99 = round(r.p99Ms / pg.p99Ms, 2);
          row.ratioToPgbench = round(r.perSecond / pg.tps, 3);
          // The four-statement shape earlier runs were compared against, for continuity.
          const narrow = await benchPgbench(r.db, options.connections, seconds, 'narrow');
          row.pgbenchNarrowTps = round(narrow.tps);
          row.pgbenchNarrowLatencyMs = narrow.latencyMs;
        } else {
          const raw = benchSqliteRaw(r.db.name, num('BENCH_SQLITE_RAW_SECONDS', 5));
          row.rawBetterSqlitePerSecond = round(raw.perSecond);
          row.ratioToRaw = round(r.perSecond / raw.perSecond, 3);
        }
        console.log(`  ${JSON.stringify(row)}`);
        rows.push(row);
      } finally {
        await r.db.drop();
      }
    }
    results.ingestion = rows;
  }

  if (selected.has('captures')) {
    const options = {
      orders: num('BENCH_CAPTURE_ORDERS', 2000),
      concurrency: num('BENCH_CONCURRENCY', 64),
      latencyMs: num('BENCH_CAPTURE_LATENCY_MS', 300),
      batchSize: num('BENCH_SWEEP_BATCH', 100),
      timeoutMs: num('BENCH_SWEEP_TIMEOUT_MS', 3 * 3600_000),
    };
    console.log(
      `\nscheduled captures: ${options.orders} MANUAL orders due at once, acquirer answers after ` +
        `${options.latencyMs} ms, ${options.concurrency} in flight, PostgreSQL`,
    );
    const r = await benchScheduledCaptures(options);
    const row = {
      ...r,
      seconds: round(r.seconds),
      perSecond: round(r.perSecond),
      ceilingPerSecond: round(r.ceilingPerSecond),
      ratio: round(r.ratio, 3),
      bareCapturesPerSecond: round(r.bareCapturesPerSecond),
      ratioToBareCaptures: round(r.perSecond / r.bareCapturesPerSecond, 3),
    };
    console.log(`  ${JSON.stringify(row)}`);
    results.scheduledCaptures = row;
  }

  if (selected.has('sweep')) {
    const counts = (env.BENCH_SWEEP_ORDERS ?? '10000,100000').split(',').map(Number);
    const rows = [];
    for (const count of counts) {
      console.log(`\nsweep: ${count} lapsed orders on PostgreSQL`);
      const r = await benchSweep(
        count,
        num('BENCH_SWEEP_BATCH', 100),
        num('BENCH_CONCURRENCY', 64),
        num('BENCH_SWEEP_TIMEOUT_MS', 3 * 3600_000),
      );
      const row = {
        ...r,
        seconds: round(r.seconds),
        perSecond: round(r.perSecond),
        inquiriesPerSecond: round(r.inquiriesPerSecond),
        ratioToInquiries: round(r.ratioToInquiries, 3),
      };
      console.log(`  ${JSON.stringify(row)}`);
      rows.push(row);
    }
    results.sweep = rows;
  }

  if (selected.has('coldstart')) {
    const runs = num('BENCH_COLD_RUNS', 5);
    console.log(`\ncold start on SQLite: ${runs} runs`);
    const r = await benchColdStart(runs);
    const row = {
      runs,
      freshMedianMs: round(median(r.freshMs)),
      warmMedianMs: round(median(r.warmMs)),
      freshMs: r.freshMs.map((v) => round(v)),
      warmMs: r.warmMs.map((v) => round(v)),
    };
    console.log(`  ${JSON.stringify(row)}`);
    results.coldStart = row;
  }

  const out = join(ROOT, 'dist', 'bench-results.json');
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nresults: ${out}`);
}

function summary(r: IngestionResult): Record<string, unknown> {
  return {
    database: r.database,
    orders: r.orders,
    deliveries: r.deliveries,
    duplicates: r.duplicates,
    seconds: round(r.seconds),
    notificationsPerSecond: round(r.perSecond),
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    peakRssMb: r.peakRssMb,
  };
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof BenchFailure ? `WRONG RESULT: ${err.message}` : err);
    process.exit(1);
  },
);

/** BENCH_DATABASES=postgres or sqlite narrows the ingestion runs (both by default). */
function ingestionDatabases(): ('postgres' | 'sqlite')[] {
  const wanted = (env.BENCH_DATABASES ?? 'postgres,sqlite').split(',').map((s) => s.trim());
  return (['postgres', 'sqlite'] as const).filter((kind) => wanted.includes(kind));
}
