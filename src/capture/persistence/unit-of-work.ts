import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { CAPTURE_DATA_SOURCE } from './data-source';
import { DatabaseBusyError } from './database-errors';

/**
 * better-sqlite3 waits for a busy database synchronously, freezing the whole process (health
 * checks, other requests, timers) for as long as another process holds the write lock. So the
 * driver's own wait is kept this short, and the wait for the lock happens here, between polls.
 */
const SQLITE_SPIN_MS = 20;
const SQLITE_POLL_MAX_MS = 50;

/**
 * Runs a function in one database transaction and commits it, on either database.
 *
 * PostgreSQL: an ordinary transaction; callers lock rows with FOR UPDATE.
 * SQLite: TypeORM shares ONE query runner for the whole process, so two concurrent
 * transactions would silently nest; we queue them here. And we open them with BEGIN IMMEDIATE,
 * which takes the write lock up front, so two processes on one file wait for each other
 * instead of failing on a read-to-write lock upgrade. That wait is asynchronous and bounded by
 * the connection's `timeout` option (DATABASE_LOCK_TIMEOUT_MS), counted from when the work was
 * queued; past it the work fails with DatabaseBusyError (a 503 for HTTP callers).
 */
@Injectable()
export class UnitOfWork {
  private sqliteQueue: Promise<unknown> = Promise.resolve();
  private sqliteSpinSet = false;

  constructor(@Inject(CAPTURE_DATA_SOURCE) readonly dataSource: DataSource) {}

  get isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (this.isPostgres) return this.dataSource.transaction(work);
    const deadline = Date.now() + this.sqliteLockWaitMs();
    const next = this.sqliteQueue.then(() => this.runSqlite(work, deadline));
    this.sqliteQueue = next.catch(() => undefined);
    return next;
  }

  private async runSqlite<T>(work: (em: EntityManager) => Promise<T>, deadline: number): Promise<T> {
    const qr = this.dataSource.createQueryRunner();
    await this.beginImmediate(qr, deadline);
    markTransaction(qr, true);
    try {
      const result = await work(qr.manager);
      await qr.query('COMMIT');
      return result;
    } catch (err) {
      await qr.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      markTransaction(qr, false);
    }
  }

  private async beginImmediate(qr: QueryRunner, deadline: number): Promise<void> {
    if (!this.sqliteSpinSet) {
      await qr.query(`PRAGMA busy_timeout = ${SQLITE_SPIN_MS}`);
      this.sqliteSpinSet = true;
    }
    const started = Date.now();
    for (let pause = 2; ; pause = Math.min(pause * 2, SQLITE_POLL_MAX_MS)) {
      try {
        await qr.query('BEGIN IMMEDIATE');
        return;
      } catch (err) {
        if (!isSqliteBusy(err)) throw err;
        const left = deadline - Date.now();
        if (left <= 0) throw new DatabaseBusyError(Date.now() - started);
        await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
      }
    }
  }

  private sqliteLockWaitMs(): number {
    const timeout = (this.dataSource.options as { timeout?: number }).timeout;
    return typeof timeout === 'number' && timeout >= 0 ? timeout : 5000;
  }
}

function isSqliteBusy(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** Tell TypeORM a transaction is open so that save() does not try to start its own. */
function markTransaction(qr: QueryRunner, open: boolean): void {
  const runner = qr as unknown as { isTransactionActive: boolean; transactionDepth: number };
  runner.isTransactionActive = open;
  runner.transactionDepth = open ? 1 : 0;
}
