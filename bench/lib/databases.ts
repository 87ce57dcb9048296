import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { PG_ADMIN_URL } from './paths';

export type BenchDatabaseKind = 'postgres' | 'sqlite';

export interface BenchDatabase {
  kind: BenchDatabaseKind;
  url: string;
  /** PostgreSQL: the database name (for pgbench); SQLite: the file. */
  name: string;
  drop(): Promise<void>;
}

/** A fresh, empty database: the service migrates it at start-up, as in production. */
export async function freshDatabase(kind: BenchDatabaseKind, label: string): Promise<BenchDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), `oc-bench-${label}-`));
    const file = join(dir, 'bench.sqlite');
    return {
      kind,
      url: `sqlite:${file}`,
      name: file,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `oc_bench_${label}_${randomBytes(3).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    name,
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function postgresVersion(): Promise<string> {
  const client = new Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]!.server_version;
  } finally {
    await client.end();
  }
}
