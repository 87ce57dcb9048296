import { createHash } from 'node:crypto';
import type { EntityManager, QueryRunner } from 'typeorm';
import { corkForThisTurn, heldClient, type PgClient } from './pg-pipeline';
import { SqlParams } from './sql-table';

type Row = Record<string, unknown>;

/** What a statement did: its rows (SELECT, RETURNING) and the rows it changed. */
export interface SqlResult {
  rows: Row[];
  affected: number;
}

/**
 * Runs one statement in the transaction of `em`. On PostgreSQL it is a named prepared statement
 * on the connection (the name follows from the text), so the server parses and plans each shape
 * once per connection, as pgbench -M prepared does; on SQLite it is prepared once per database.
 */
export function runSql(em: EntityManager, sql: string, values: unknown[]): Promise<SqlResult> {
  const runner = em.queryRunner;
  if (!runner) return Promise.reject(new Error('hand-written SQL runs inside UnitOfWork.run'));
  if (runner.connection.options.type !== 'postgres') return runSqlite(runner, sql, values);
  const held = heldClient(runner);
  // Sent at once on a connection the transaction holds, so that it can share a packet.
  if (held) return runPg(held, sql, values);
  return runner.connect().then((client: PgClient) => runPg(client, sql, values));
}

interface SqliteStatement {
  reader: boolean;
  all(...values: unknown[]): Row[];
  run(...values: unknown[]): { changes: number };
}

const sqliteStatements = new WeakMap<object, Map<string, SqliteStatement>>();

/**
 * better-sqlite3 runs a statement synchronously; called directly (statements prepared once per
 * database) it skips the query runner's promise hops and events around that call.
 */
function runSqlite(runner: QueryRunner, sql: string, values: unknown[]): Promise<SqlResult> {
  const db = (
    runner.connection.driver as unknown as { databaseConnection: { prepare(sql: string): SqliteStatement } }
  ).databaseConnection;
  let cache = sqliteStatements.get(db);
  if (!cache) sqliteStatements.set(db, (cache = new Map<string, SqliteStatement>()));
  try {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      if (cache.size < 1000) cache.set(sql, statement);
    }
    if (statement.reader) {
      const rows = statement.all(...values);
      return Promise.resolve({ rows, affected: rows.length });
    }
    return Promise.resolve({ rows: [], affected: statement.run(...values).changes });
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

async function runPg(client: PgClient, sql: string, values: unknown[]): Promise<SqlResult> {
  corkForThisTurn(client);
  const r = await client.query({ name: statementName(sql), text: sql, values });
  return { rows: r.rows, affected: r.rowCount ?? 0 };
}

const names = new Map<string, string>();

function statementName(sql: string): string {
  let name = names.get(sql);
  if (!name) {
    name = `oc_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    // The shapes are few (a transition writes 1 to 3 attempts, 0 to 2 events); a bound anyway.
    if (names.size < 1000) names.set(sql, name);
  }
  return name;
}

/**
 * The writes of one step, sent together: on PostgreSQL as ONE statement (each write a
 * data-modifying CTE; they touch different rows, and all of them run whether or not anything
 * reads them), so a transition costs one round trip; on SQLite, in process, one after another.
 * A write may return one column of one row (`RETURNING x`), read back by its index.
 */
export class SqlBatch {
  readonly params: SqlParams;
  private readonly writes: { sql: string; returns?: string }[] = [];

  constructor(private readonly postgres: boolean) {
    this.params = new SqlParams(postgres);
  }

  /** Adds a write built with `this.params`; `returns` names the column its RETURNING yields. */
  add(sql: string, returns?: string): number {
    this.writes.push({ sql: returns ? `${sql} RETURNING ${returns}` : sql, returns });
    return this.writes.length - 1;
  }

  /** Runs every write; the value each returning write gave (undefined when no row matched). */
  async run(em: EntityManager): Promise<unknown[]> {
    if (this.writes.length === 0) return [];
    if (!this.postgres || this.writes.length === 1) return this.oneByOne(em);
    const ctes = this.writes.map((w, i) => `w${i} AS (${w.sql})`).join(', ');
    const reads = this.writes.map((w, i) => (w.returns ? `(SELECT ${w.returns} FROM w${i}) AS r${i}` : null));
    const select = reads.filter(Boolean).join(', ') || '1 AS done';
    const { rows } = await runSql(em, `WITH ${ctes} SELECT ${select}`, this.params.values);
    const row = rows[0] ?? {};
    return this.writes.map((w, i) => (w.returns ? row[`r${i}`] : undefined));
  }

  private async oneByOne(em: EntityManager): Promise<unknown[]> {
    // SQLite numbers ? placeholders by position in each statement: hand each its own slice.
    const out: unknown[] = [];
    let offset = 0;
    for (const w of this.writes) {
      const count = this.postgres ? this.params.values.length : countPlaceholders(w.sql);
      const values = this.postgres ? this.params.values : this.params.values.slice(offset, offset + count);
      offset += count;
      const { rows } = await runSql(em, w.sql, values);
      out.push(w.returns ? rows[0]?.[unquote(w.returns)] : undefined);
    }
    return out;
  }
}

function countPlaceholders(sql: string): number {
  // The statements are built here with every value a parameter: no ? inside a literal.
  let n = 0;
  for (const ch of sql) if (ch === '?') n += 1;
  return n;
}

function unquote(identifier: string): string {
  return identifier.replace(/^"|"$/g, '');
}
