/* eslint-disable no-console -- the benchmark prints its report */
import { Client } from 'pg';
import type { BenchDatabase } from './databases';

/** A benchmark whose result is wrong is worth nothing: it stops the run (exit 1). */
export class BenchFailure extends Error {}

export function expectEqual(what: string, actual: number, expected: number): void {
  if (actual !== expected) throw new BenchFailure(`${what}: expected ${expected}, got ${actual}`);
  console.log(`  ok  ${what}: ${actual}`);
}

/** The first row's `n` of a counting query, read with the database's own driver. */
export async function countRows(db: BenchDatabase, sql: string): Promise<number> {
  const rows = await query<{ n: number | string }>(db, sql);
  return Number(rows[0]?.n ?? 0);
}

export async function query<T>(db: BenchDatabase, sql: string): Promise<T[]> {
  if (db.kind === 'sqlite') {
    const { default: Database } = await import('better-sqlite3');
    const conn = new Database(db.name, { readonly: true });
    try {
      return conn.prepare(sql).all() as T[];
    } finally {
      conn.close();
    }
  }
  const client = new Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}
