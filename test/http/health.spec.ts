/**
 * Readiness (/health, terminus) and liveness (/health/live) of the whole service: ready only
 * when the database answers, the schema is current and the jobs run where they should.
 */
import { SchedulerRegistry } from '@nestjs/schedule';
import { createTestDatabase, describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp } from '../support/http-app';

const QUIET = { LOG_LEVEL: 'silent' };

describeEachDatabase('GET /health', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { ...QUIET, SCHEDULER_INTERVAL_MS: '60000' });
  });
  afterAll(() => t.close());

  it('answers 200 with every check up', async () => {
    const res = await t.http('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      info: {
        database: { status: 'up' },
        migrations: { status: 'up', pending: 0 },
        scheduler: { status: 'up', enabled: true },
      },
      error: {},
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
      error: { scheduler: { status: 'down', enabled: true } },
    });
    expect((await t.http('/health/live')).status).toBe(200);
  });
});

describeEachDatabase('GET /health with the jobs turned off', (kind) => {
  it('is ready, and says the scheduler is not meant to run here', async () => {
    const t = await startTestApp(kind, { ...QUIET, SCHEDULER_ENABLED: 'false' });
    try {
      const res = await t.http('/health');
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

  it('answers 503 naming the pending migration, and 200 once it has run', async () => {
    const res = await t.http('/health');
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

  it('answers 503 with the database down, while liveness stays 200', async () => {
    expect((await t.http('/health')).status).toBe(200);
    await t.db.drop();

    const res = await t.http('/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      status: 'error',
      error: { database: { status: 'down', message: expect.any(String) } },
    });
    const live = await t.http('/health/live');
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: 'ok' });
  });
});
