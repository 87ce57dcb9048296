/**
 * Readiness (/health, terminus) and liveness (/health/live) of the whole service: ready only
 * when the database answers, the schema is current and the jobs run where they should. The
 * anonymous answer says up or down per check; the reasons are at /health/details (ops token).
 */
import { SchedulerRegistry } from '@nestjs/schedule';
import { createTestDatabase, describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp } from '../support/http-app';
import { opsAuth } from './metrics-scrape';

const QUIET = { LOG_LEVEL: 'silent' };

describeEachDatabase('GET /health', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { ...QUIET, SCHEDULER_INTERVAL_MS: '60000' });
  });
  afterAll(() => t.close());

  it('answers 200 with every check up, and nothing but up or down', async () => {
    const res = await t.http('/health');
    expect(res.status).toBe(200);
    const up = { status: 'up' };
    const checks = { database: up, migrations: up, scheduler: up };
    expect(await res.json()).toEqual({ status: 'ok', info: checks, error: {}, details: checks });
  });

  it('shows each check in detail at /health/details, with the ops token only', async () => {
    expect((await t.http('/health/details')).status).toBe(401);
    const res = await t.http('/health/details', { headers: opsAuth(t) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      info: {
        database: { status: 'up' },
        migrations: { status: 'up', pending: 0 },
        scheduler: { status: 'up', enabled: true, intervalMs: 60000 },
      },
    });
  });

  it('liveness answers 200', async () => {
    const res = await t.http('/health/live');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('is not ready once the jobs stopped running', async () => {
    const registry = t.app.get(SchedulerRegistry);
    for (const name of registry.getIntervals()) registry.deleteInterval(name);
    const res = await t.http('/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      status: 'error',
      info: { database: { status: 'up' } },
      error: { scheduler: { status: 'down' } },
    });
    const details = await t.http('/health/details', { headers: opsAuth(t) });
    expect(details.status).toBe(503);
    expect(await details.json()).toMatchObject({
      error: { scheduler: { status: 'down', enabled: true, message: expect.any(String) } },
    });
    expect((await t.http('/health/live')).status).toBe(200);
  });
});

describeEachDatabase('GET /health with the jobs turned off', (kind) => {
  it('is ready, and says the scheduler is not meant to run here', async () => {
    const t = await startTestApp(kind, { ...QUIET, SCHEDULER_ENABLED: 'false' });
    try {
      const res = await t.http('/health/details', { headers: opsAuth(t) });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ info: { scheduler: { status: 'up', enabled: false } } });
    } finally {
      await t.close();
    }
  });
});

describeEachDatabase('GET /health before the migrations ran', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    // Migrated once (to create the schema the other modules read at start-up), then one undone.
    const db = await createTestDatabase(kind);
    const first = await startTestApp(kind, QUIET, db);
    await first.dataSource.undoLastMigration();
    await first.close();
    await first.dataSource.destroy().catch(() => undefined);
    t = await startTestApp(kind, { ...QUIET, MIGRATE_ON_START: 'false', SCHEDULER_ENABLED: 'false' }, db);
  });
  afterAll(async () => {
    await t.close();
    await t.db.drop();
  });

  it('answers 503 naming the pending migration (in the details), and 200 once it has run', async () => {
    const anonymous = await t.http('/health');
    expect(anonymous.status).toBe(503);
    expect(await anonymous.json()).toMatchObject({ error: { migrations: { status: 'down' } } });
    const res = await t.http('/health/details', { headers: opsAuth(t) });
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body).toMatchObject({
      status: 'error',
      info: { database: { status: 'up' } },
      error: {
        migrations: { status: 'down', message: expect.stringMatching(/1 pending migration\(s\): \w+/) },
      },
    });

    await t.dataSource.runMigrations();
    expect((await t.http('/health')).status).toBe(200);
  });
});

describe('GET /health when PostgreSQL goes away', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('postgres', { ...QUIET, SCHEDULER_ENABLED: 'false' });
  });
  afterAll(() => t.close());

  it('answers 503 with the database down and no host, port or message; the details have the reason', async () => {
    expect((await t.http('/health')).status).toBe(200);
    await t.db.drop();

    const res = await t.http('/health');
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
    for (const check of Object.values(JSON.parse(text).details as Record<string, object>)) {
      expect(Object.keys(check)).toEqual(['status']);
    }
    const { hostname, port, pathname } = new URL(t.db.url);
    for (const internal of [hostname, port, pathname.slice(1), 'message', 'database "', 'ECONNREFUSED']) {
      expect(text).not.toContain(internal);
    }

    const details = await t.http('/health/details', { headers: opsAuth(t) });
    expect(details.status).toBe(503);
    expect(await details.json()).toMatchObject({
      error: { database: { status: 'down', message: expect.any(String) } },
    });
    const live = await t.http('/health/live');
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
  });
});
