import { CaptureAttemptEntity } from '../../src/capture/persistence/entities';
import { describeEachDatabase } from '../support/databases';
import type { TestApp } from '../support/http-app';
import { orderIn, startApiApp } from './orders-api.support';
import { call } from '../support/http-app';
import { HOUR, DAY } from '../support/time';

describeEachDatabase('GET /admin/stats', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApiApp(kind);
  });
  afterAll(() => t.close());

  it('counts by state, reviews, authorizations lapsing within 24 h, pending attempts by age', async () => {
    const empty = await call(t, 'GET', '/admin/stats');
    expect(empty.body).toMatchObject({
      byState: {
        authorized: 0,
        capturePending: 0,
        partiallyCaptured: 0,
        captured: 0,
        captureFailed: 0,
        autoCancelled: 0,
        partiallyLapsed: 0,
        cancelled: 0,
      },
      underReview: 0,
      lapsingWithin24h: 0,
      pendingAttempts: { total: 0, byAge: { under5m: 0, from5mTo1h: 0, from1hTo24h: 0, over24h: 0 } },
    });

    const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
    await orderIn(t, 'authorized');
    await orderIn(t, 'authorized', { overrides: { authorizedAt: ago(6 * DAY + 12 * HOUR) } });
    await orderIn(t, 'captureFailed', { overrides: { authorizedAt: ago(6 * DAY + 20 * HOUR) } });
    await orderIn(t, 'authorized', { overrides: { authorizedAt: ago(8 * DAY) } });
    await orderIn(t, 'captured', { review: true, overrides: { authorizedAt: ago(6 * DAY + 12 * HOUR) } });
    await orderIn(t, 'partiallyCaptured', { review: true });
    await orderIn(t, 'autoCancelled');
    const attempts = t.dataSource.getRepository(CaptureAttemptEntity);
    for (const age of [60_000, 10 * 60_000, 30 * HOUR]) {
      const o = await orderIn(t, 'capturePending');
      await attempts.update({ orderId: o.id }, { createdAt: new Date(Date.now() - age) });
    }

    const res = await call(t, 'GET', '/admin/stats');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      byState: {
        authorized: 3,
        capturePending: 3,
        partiallyCaptured: 1,
        captured: 1,
        captureFailed: 1,
        autoCancelled: 1,
        partiallyLapsed: 0,
        cancelled: 0,
      },
      underReview: 2,
      // Open and lapsing within 24 h: the authorized one and the failed one; not the captured
      // one, nor the one whose deadline already passed.
      lapsingWithin24h: 2,
      pendingAttempts: { total: 3, byAge: { under5m: 1, from5mTo1h: 1, from1hTo24h: 0, over24h: 1 } },
      at: expect.any(String),
    });
  });
});
