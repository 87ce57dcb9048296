/**
 * Errors that mean "the database cannot serve this now" rather than "this request is wrong":
 * a bounded wait ran out (statement, lock, idle transaction, connection, pool), the server went
 * away, or another SQLite process kept the write lock. Callers answer 503 so that clients retry.
 * And the one error that means "someone else wrote this first", which callers turn into a replay.
 */
const PG_UNAVAILABLE = new Set([
  '57014', // query_canceled: statement_timeout
  '55P03', // lock_not_available: lock_timeout
  '25P03', // idle_in_transaction_session_timeout
  '53300', // too_many_connections
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
]);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
const PG_CLIENT_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|Query read timeout|not queryable|Connection terminated due to connection timeout/i;

export class DatabaseBusyError extends Error {
  readonly code = 'SQLITE_BUSY';
  constructor(waitedMs: number) {
    super(`the SQLite write lock stayed taken for ${waitedMs} ms (another process holds it)`);
  }
}

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e = err as Record<string, unknown> | undefined, depth = 0; e && depth < 3; depth++) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code && (PG_UNAVAILABLE.has(code) || code.startsWith('08') || NETWORK.has(code))) return true;
    if (code && /^SQLITE_(BUSY|LOCKED)/.test(code)) return true;
    if (typeof e.message === 'string' && PG_CLIENT_MESSAGES.test(e.message)) return true;
    e = (e.driverError ?? e.cause) as Record<string, unknown> | undefined;
  }
  return false;
}

/** A unique key refused the row: another writer got there first (PostgreSQL and SQLite codes). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
