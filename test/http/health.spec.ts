import { describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp } from '../support/http-app';

describeEachDatabase('GET /health', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t.close());

  it('answers 200 with the database status', async () => {
    const res = await t.http('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', database: { status: 'up' } });
  });

  it('liveness answers without touching the database', async () => {
    const res = await t.http('/health/live');
    expect(res.status).toBe(200);
  });
});
