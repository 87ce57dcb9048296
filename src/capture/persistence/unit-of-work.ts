import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DataSource, EntityManager, ObjectLiteral, QueryRunner, SelectQueryBuilder } from 'typeorm';
import { CAPTURE_DATA_SOURCE } from './data-source';
import { DatabaseBusyError } from './database-errors';
import { sendNow, type PgClient } from './pg-pipeline';
import { SqlBatch } from './sql-batch';
import { captureTables, type CaptureTables } from './sql-table';
import { StatementGroup } from './statement-group';

/**
 * better-sqlite3 waits for a busy database synchronously, freezing the whole process (health
 * checks, other requests, timers) for as long as another process holds the write lock. So the
 * driver's own wait is kept this short, and the wait for the lock happens here, between polls.
 */
const SQLITE_SPIN_MS = 20;
const SQLITE_POLL_MAX_MS = 50;

/** Orders sharing one grouped transaction at most: their row locks are held until it commits. */
const GROUP_MAX = 32;

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
 *
 * Work that must follow the commit (calling the acquirer, delivering events) is queued with
 * `afterCommit` inside the transaction and run here once it has committed, never on a
 * rollback: no caller has to remember it.
 */
@Injectable()
export class UnitOfWork {
  private readonly log = new Logger('UnitOfWork');
  private sqliteQueue: Promise<unknown> = Promise.resolve();
  private sqliteSpinSet = false;
  /** The after-commit queue of each open transaction, by its entity manager. */
  private readonly hooks = new WeakMap<EntityManager, AfterCommit[]>();
  /** The writes each open PostgreSQL transaction settles at its commit (settleAtCommit). */
  private readonly deferred = new WeakMap<EntityManager, Promise<unknown>[]>();
  readonly isPostgres: boolean;
  private sqlTables?: CaptureTables;

  constructor(@Inject(CAPTURE_DATA_SOURCE) readonly dataSource: DataSource) {
    this.isPostgres = dataSource.options.type === 'postgres';
  }

  /**
   * `skipAfterCommit` commits and drops the queued after-commit work, exactly what a crash right
   * after the commit leaves behind: for seeding and for tests of that recovery, never otherwise.
   */
  async run<T>(work: (em: EntityManager) => Promise<T>, options?: { skipAfterCommit?: boolean }): Promise<T> {
    const hooks: AfterCommit[] = [];
    const tracked = (em: EntityManager) => {
      this.hooks.set(em, hooks);
      return work(em);
    };
    let result: T;
    if (this.isPostgres) {
      result = await this.runPostgres(tracked);
    } else {
      const deadline = Date.now() + this.sqliteLockWaitMs();
      const next = this.sqliteQueue.then(() => this.runSqlite(tracked, deadline));
      this.sqliteQueue = next.catch(() => undefined);
      // The hooks run outside the queue: they may open transactions of their own.
      result = await next;
    }
    if (!options?.skipAfterCommit) await this.runAfterCommit(hooks);
    return result;
  }

  /**
   * Like `run`, for work on one order (`key`) that may share its transaction with other such
   * work (group commit): what is submitted while a grouped transaction is at work waits for it,
   * then runs together, so under load one BEGIN/COMMIT serves many orders. Each item locks what
   * it needs itself; items run in key order, so two groups never wait on each other in a cycle.
   * If the shared transaction fails, every item runs again in a transaction of its own: one
   * failing item fails no other. So the work keeps its effects inside the transaction and its
   * after-commit hooks; those run before the item resolves, and must not wait for grouped work.
   */
  async grouped<T>(key: string, work: (em: EntityManager) => Promise<T>): Promise<T> {
    const settled = await this.groups.submit({ key, work });
    if (settled.status === 'rejected') throw settled.reason;
    return settled.value as T;
  }

  private readonly groups = new StatementGroup<GroupedWork, PromiseSettledResult<unknown>>(async (items) => {
    const alone = (item: GroupedWork) => this.run(item.work);
    if (items.length === 1) return Promise.allSettled(items.map(alone));
    const byKey = [...items.keys()].sort((a, b) => items[a]!.key.localeCompare(items[b]!.key));
    try {
      return await this.run(async (em) => {
        const results: PromiseSettledResult<unknown>[] = [];
        for (const i of byKey) results[i] = { status: 'fulfilled', value: await items[i]!.work(em) };
        return results;
      });
    } catch {
      return Promise.allSettled(items.map(alone));
    }
  }, GROUP_MAX);

  /** Queues work to run once the transaction of `em` (a UnitOfWork.run) has committed. */
  afterCommit(em: EntityManager, hook: AfterCommit): void {
    const queue = this.hooks.get(em);
    if (!queue) throw new Error('after-commit work needs a transaction opened by UnitOfWork.run');
    queue.push(hook);
  }

  /**
   * One statement is atomic by itself: on PostgreSQL it runs without BEGIN/COMMIT round trips;
   * on SQLite it still queues behind the transactions (outside them it could land inside one).
   */
  statement<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.isPostgres ? work(this.dataSource.manager) : this.run(work);
  }

  /**
   * Locks the rows a query reads until the transaction ends: FOR UPDATE (optionally SKIP LOCKED)
   * on PostgreSQL; SQLite transactions here are exclusive already (BEGIN IMMEDIATE).
   */
  forUpdate<E extends ObjectLiteral>(
    qb: SelectQueryBuilder<E>,
    options?: { skipLocked?: boolean },
  ): SelectQueryBuilder<E> {
    if (!this.isPostgres) return qb;
    qb.setLock('pessimistic_write');
    return options?.skipLocked ? qb.setOnLocked('skip_locked') : qb;
  }

  /** The capture tables for hand-written SQL (read once the DataSource is initialized). */
  get tables(): CaptureTables {
    return (this.sqlTables ??= captureTables(this.dataSource));
  }

  /** Writes to send together in the current transaction (SqlBatch). */
  batch(): SqlBatch {
    return new SqlBatch(this.isPostgres);
  }

  /** A committed transaction stays committed: a failing hook is logged, the others still run. */
  private async runAfterCommit(hooks: AfterCommit[]): Promise<void> {
    for (const hook of hooks) {
      try {
        await hook();
      } catch (err) {
        this.log.error(`after-commit work failed: ${(err as Error).message}`);
      }
    }
  }

  /**
   * Writes of this transaction whose results are awaited at its commit (PostgreSQL: they go out
   * with COMMIT, in one packet). Any of them failing fails the transaction: the server has
   * rolled it back, and run() rejects with that write's error.
   */
  settleAtCommit(em: EntityManager, write: Promise<unknown>): void {
    const writes = this.deferred.get(em);
    if (!writes) throw new Error('deferred writes need a PostgreSQL transaction opened by UnitOfWork.run');
    void write.catch(() => undefined);
    writes.push(write);
  }

  /** Whether `em` is a transaction whose writes may be settled at its commit (settleAtCommit). */
  defersWrites(em: EntityManager): boolean {
    return this.deferred.has(em);
  }

  /**
   * The connection is pipelined while the transaction holds it (pg-pipeline.ts): BEGIN goes out
   * with the first statements, COMMIT with the writes settled at commit.
   */
  private async runPostgres<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const qr = this.dataSource.createQueryRunner();
    const writes: Promise<unknown>[] = [];
    try {
      const client = (await qr.connect()) as PgClient;
      client.pipeline = true;
      const begun = sendNow(client, 'BEGIN');
      markTransaction(qr, true);
      this.deferred.set(qr.manager, writes);
      try {
        const result = await work(qr.manager);
        this.deferred.delete(qr.manager);
        await Promise.all([begun, ...writes, sendNow(client, 'COMMIT')]);
        return result;
      } catch (err) {
        this.deferred.delete(qr.manager);
        await client.query('ROLLBACK').catch(() => undefined);
        // A deferred write's failure is the cause; later statements only failed with it.
        throw (await firstFailure([begun, ...writes])) ?? err;
      } finally {
        client.pipeline = false;
        markTransaction(qr, false);
      }
    } finally {
      await qr.release();
    }
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

export type AfterCommit = () => Promise<void> | void;

interface GroupedWork {
  key: string;
  work: (em: EntityManager) => Promise<unknown>;
}

function isSqliteBusy(err: unknown): boolean {
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

async function firstFailure(sent: Promise<unknown>[]): Promise<unknown> {
  for (const p of sent) {
    const failure = await p.then(
      () => undefined,
      (err: unknown) => err ?? new Error('a statement failed'),
    );
    if (failure) return failure;
  }
  return undefined;
}

/** Tell TypeORM a transaction is open so that save() does not try to start its own. */
function markTransaction(qr: QueryRunner, open: boolean): void {
  const runner = qr as unknown as { isTransactionActive: boolean; transactionDepth: number };
  runner.isTransactionActive = open;
  runner.transactionDepth = open ? 1 : 0;
}
