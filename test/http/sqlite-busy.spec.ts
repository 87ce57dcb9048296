/**
 * SQLite with another process (here: another connection) holding the write lock. better-sqlite3
 * waits for a lock synchronously, so the wait must not happen inside it: the service keeps
 * answering (liveness within milliseconds), a write waits asynchronously and goes through once
 * the lock is released, or gets a 503 once DATABASE_LOCK_TIMEOUT_MS has passed.
 *
 * SQLite only: PostgreSQL's lock waits are database-timeouts.spec.ts.
 */
import Database from 'better-sqlite3';
import { registration } from '../support/capture-testing';
import type { TestApp } from '../support/http-app';
import { startApiApp } from './orders-api.support';
import { call } from '../support/http-app';

const LOCK_TIMEOUT_MS = 1500;

describe('SQLite: another writer holds the lock', () => {
  let t: TestApp;
  let other: Database.Database;
  beforeAll(async () => {
    t = await startApiApp('sqlite', {
      LOG_LEVEL: 'silent',
      DATABASE_LOCK_TIMEOUT_MS: String(LOCK_TIMEOUT_MS),
    });
    other = new Database(t.db.url.slice('sqlite:'.length));
  });
  afterAll(async () => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    await t.close();
  });

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Liveness probes while `pending` runs: the slowest answer, in ms. */
  async function slowestLiveness(pending: Promise<unknown>): Promise<number> {
    let done = false;
    void pending.finally(() => (done = true));
    let slowest = 0;
    while (!done) {
      const started = Date.now();
      const res = await t.http('/health/live');
      expect(res.status).toBe(200);
      slowest = Math.max(slowest, Date.now() - started);
      await sleep(50);
    }
    return slowest;
  }

  it('a write past the lock timeout is 503 after about that long, and the process answers meanwhile', async () => {
    other.exec('BEGIN IMMEDIATE');
    try {
      const started = Date.now();
      const write = call(t, 'POST', '/orders', registration());
      const slowest = await slowestLiveness(write);
      const res = await write;
      const elapsed = Date.now() - started;
      expect(res.status).toBe(503);
      expect(res.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'service unavailable, try again',
      });
      expect(elapsed).toBeGreaterThanOrEqual(LOCK_TIMEOUT_MS - 100);
      expect(elapsed).toBeLessThan(LOCK_TIMEOUT_MS + 1500);
      expect(slowest).toBeLessThan(250);
    } finally {
      other.exec('ROLLBACK');
    }
  });

  it('a write waiting for the lock goes through once it is released', async () => {
    other.exec('BEGIN IMMEDIATE');
    const write = call(t, 'POST', '/orders', registration());
    const slowest = slowestLiveness(write);
    await sleep(400);
    other.exec('ROLLBACK');
    expect((await write).status).toBe(201);
    expect(await slowest).toBeLessThan(250);
  });
});
