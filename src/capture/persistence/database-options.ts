import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { CAPTURE_ENTITIES } from './entities';
import { CAPTURE_MIGRATIONS } from './migrations';

export const DEFAULT_DATABASE_URL = 'sqlite:./data/order-capture.sqlite';

/**
 * Every wait on the database is bounded, so that a frozen or locked database costs callers a
 * 503 after seconds instead of holding requests, webhooks and pool connections indefinitely.
 */
export interface DatabaseTimeouts {
  /** PostgreSQL: opening a connection, and waiting for a free one in the pool. */
  connectTimeoutMs: number;
  /** PostgreSQL: one statement (statement_timeout); the client gives up a little later. */
  statementTimeoutMs: number;
  /**
   * PostgreSQL: waiting for a row or table lock (lock_timeout). SQLite: waiting for another
   * process's write lock, asynchronously (see UnitOfWork).
   */
  lockTimeoutMs: number;
  /** PostgreSQL: a transaction left open and idle is ended by the server. */
  idleInTransactionTimeoutMs: number;
}

/**
 * Seconds, not milliseconds: a burst of deliveries for one order queues on its row lock and on
 * the pool (20), and on a loaded machine the queue must drain before anyone gets a 503.
 */
export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = {
  connectTimeoutMs: 10000,
  statementTimeoutMs: 10000,
  lockTimeoutMs: 5000,
  idleInTransactionTimeoutMs: 10000,
};

/** The client-side backstop fires after the server's own statement_timeout had its chance. */
const CLIENT_GRACE_MS = 2000;

/**
 * TypeORM options from a DATABASE_URL: `sqlite:<path>` (better-sqlite3, WAL) or
 * `postgres://...`. `synchronize` is always off: the schema comes from migrations.
 */
export function databaseOptions(
  url: string,
  migrationsRun: boolean,
  timeouts: DatabaseTimeouts = DEFAULT_DATABASE_TIMEOUTS,
): DataSourceOptions {
  const common = {
    entities: CAPTURE_ENTITIES,
    migrations: CAPTURE_MIGRATIONS,
    migrationsRun,
    synchronize: false,
    logging: false,
  } as const;
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return {
      ...common,
      type: 'postgres',
      url,
      extra: {
        max: 20,
        connectionTimeoutMillis: timeouts.connectTimeoutMs,
        statement_timeout: timeouts.statementTimeoutMs,
        lock_timeout: timeouts.lockTimeoutMs,
        idle_in_transaction_session_timeout: timeouts.idleInTransactionTimeoutMs,
        // A server that stops answering altogether (frozen, partitioned) never cancels anything.
        query_timeout: timeouts.statementTimeoutMs + CLIENT_GRACE_MS,
        keepAlive: true,
      },
    };
  }
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    const database = path === ':memory:' ? path : resolve(path);
    if (database !== ':memory:') mkdirSync(dirname(database), { recursive: true });
    return {
      ...common,
      type: 'better-sqlite3',
      database,
      enableWAL: true,
      // UnitOfWork turns this into an asynchronous wait: better-sqlite3 would block the event loop.
      timeout: timeouts.lockTimeoutMs,
      // Foreign keys are off by default in SQLite; the schema relies on them.
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('foreign_keys = ON');
        db.pragma('synchronous = NORMAL');
      },
    };
  }
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got ${redactUrl(url)})`);
}

/** Query parameters of a PostgreSQL URL that carry secrets (libpq and node-postgres names). */
const SECRET_PARAMS = /^(password|pass|sslpassword|sslkey|sslcert|sslrootcert|passfile)$/i;
const REDACTED = '***';

/**
 * A database URL safe to print: the user info's password and secret query parameters replaced.
 * The user info ends at the last '@' before the query, so a password may contain '@' or '/';
 * the query is read with a URL parser. A URL that cannot be parsed is hidden whole: a password
 * with '?' or '#' in it would otherwise show in part.
 */
export function redactUrl(url: string): string {
  if (url.startsWith('sqlite:')) return url;
  const m = /^([a-z][a-z0-9+.-]*:\/\/)(.*)$/is.exec(url);
  if (!m) return `${/^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0] ?? ''}${REDACTED}`;
  const scheme = m[1] ?? '';
  let rest = m[2] ?? '';
  const queryAt = rest.search(/[?#]/);
  const at = (queryAt < 0 ? rest : rest.slice(0, queryAt)).lastIndexOf('@');
  const colon = at < 0 ? -1 : rest.slice(0, at).indexOf(':');
  if (colon >= 0) rest = `${rest.slice(0, colon)}:${REDACTED}${rest.slice(at)}`;
  let parsed: URL;
  try {
    parsed = new URL(scheme + rest);
  } catch {
    return `${scheme}${REDACTED}`;
  }
  if (![...parsed.searchParams.keys()].some((name) => SECRET_PARAMS.test(name))) return scheme + rest;
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAMS.test(name)) parsed.searchParams.set(name, REDACTED);
  }
  return parsed.toString().replace(/%2A%2A%2A/gi, REDACTED);
}
