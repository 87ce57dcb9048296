import { Inject, Injectable } from '@nestjs/common';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { CAPTURE_DATA_SOURCE } from './data-source';

/**
 * Runs a function in one database transaction and commits it, on either database.
 *
 * PostgreSQL: an ordinary transaction; callers lock rows with FOR UPDATE.
 * SQLite: TypeORM shares ONE query runner for the whole process, so two concurrent
 * transactions would silently nest; we queue them here. And we open them with BEGIN IMMEDIATE,
 * which takes the write lock up front, so two processes on one file wait for each other
 * (busy timeout) instead of failing on a read-to-write lock upgrade.
 */
@Injectable()
export class UnitOfWork {
  private sqliteQueue: Promise<unknown> = Promise.resolve();

  constructor(@Inject(CAPTURE_DATA_SOURCE) readonly dataSource: DataSource) {}

  get isPostgres(): boolean {
    return this.dataSource.options.type === 'postgres';
  }

  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    if (this.isPostgres) return this.dataSource.transaction(work);
    const next = this.sqliteQueue.then(() => this.runSqlite(work));
    this.sqliteQueue = next.catch(() => undefined);
    return next;
  }

  private async runSqlite<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const qr = this.dataSource.createQueryRunner();
    await qr.query('BEGIN IMMEDIATE');
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
}

/** Tell TypeORM a transaction is open so that save() does not try to start its own. */
function markTransaction(qr: QueryRunner, open: boolean): void {
  const runner = qr as unknown as { isTransactionActive: boolean; transactionDepth: number };
  runner.isTransactionActive = open;
  runner.transactionDepth = open ? 1 : 0;
}
