import { CaptureAttemptEntity } from '../../src/capture/persistence/entities';
import { describeEachDatabase } from '../support/databases';
import type { TestApp } from '../support/http-app';
import { orderIn, startApiApp } from './orders-api.support';
import { call, registerOrder, type OrderBody } from '../support/http-app';
import { MINUTE, HOUR, DAY } from '../support/time';

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
/** authorizedAt such that the 7-day deadline falls `ms` from now. */
const lapsingIn = (ms: number) => ago(7 * DAY - ms);

interface Page {
  items: OrderBody[];
  nextCursor: string | null;
}

describeEachDatabase('GET /admin/insights', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApiApp(kind);
  });
  afterAll(() => t.close());

  it('lists open authorizations lapsing soon, soonest first, and counts them per hour', async () => {
    const later = await orderIn(t, 'authorized', {
      overrides: { authorizedAt: lapsingIn(20 * HOUR + 30 * MINUTE) },
    });
    const soon = await orderIn(t, 'captureFailed', {
      overrides: { authorizedAt: lapsingIn(2 * HOUR + 30 * MINUTE) },
    });
    await orderIn(t, 'captured', { overrides: { authorizedAt: lapsingIn(3 * HOUR) } });
    await orderIn(t, 'authorized', { overrides: { authorizedAt: lapsingIn(3 * DAY + 30 * MINUTE) } });
    await orderIn(t, 'authorized', { overrides: { authorizedAt: ago(8 * DAY) } });

    const lapsing = await call<Page>(t, 'GET', '/admin/insights/lapsing');
    expect(lapsing.status).toBe(200);
    expect(lapsing.body.items.map((o) => o.id)).toEqual([soon.id, later.id]);
    const narrow = await call<Page>(t, 'GET', '/admin/insights/lapsing?withinHours=3');
    expect(narrow.body.items.map((o) => o.id)).toEqual([soon.id]);

    const cliff = await call<{ hours: { start: string; count: number }[] }>(
      t,
      'GET',
      '/admin/insights/deadline-cliff',
    );
    expect(cliff.status).toBe(200);
    expect(cliff.body.hours).toHaveLength(168);
    const busy = cliff.body.hours.flatMap((h, i) => (h.count ? [[i, h.count]] : []));
    expect(busy).toEqual([
      [2, 1],
      [20, 1],
      [72, 1],
    ]);
  });

  it('lists attempts pending longer than the threshold with their order, oldest first', async () => {
    const attempts = t.dataSource.getRepository(CaptureAttemptEntity);
    const aged: OrderBody[] = [];
    for (const age of [2 * MINUTE, 40 * MINUTE, 3 * HOUR]) {
      const o = await orderIn(t, 'capturePending');
      await attempts.update({ orderId: o.id }, { createdAt: new Date(Date.now() - age) });
      aged.push(o);
    }
    const res = await call<{ items: { order: OrderBody; attempt: { status: string } }[] }>(
      t,
      'GET',
      '/admin/insights/pending-attempts?olderThanSeconds=600',
    );
    expect(res.status).toBe(200);
    expect(res.body.items.map((i) => i.order.merchantOrderId)).toEqual([
      aged[2]!.merchantOrderId,
      aged[1]!.merchantOrderId,
    ]);
    expect(res.body.items[0]!.attempt.status).toBe('pending');
  });

  it('distributes the time our captures took from request to result', async () => {
    const attempts = t.dataSource.getRepository(CaptureAttemptEntity);
    for (const [ms, status] of [
      [400, 'succeeded'],
      [700, 'succeeded'],
      [3_000, 'failed'],
      [2 * HOUR, 'succeeded'],
    ] as const) {
      const o = await orderIn(t, 'capturePending');
      const created = new Date(Date.now() - 3 * HOUR);
      await attempts.update(
        { orderId: o.id },
        { origin: 'merchant', status, createdAt: created, resolvedAt: new Date(created.getTime() + ms) },
      );
    }
    const res = await call<Record<string, unknown>>(t, 'GET', '/admin/insights/capture-times?days=1');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ count: 4, p50Ms: 700, p90Ms: 2 * HOUR, maxMs: 2 * HOUR });
    const buckets = res.body.buckets as { upToMs: number | null; count: number }[];
    expect(buckets.filter((b) => b.count > 0)).toEqual([
      { upToMs: 1_000, count: 2 },
      { upToMs: 5_000, count: 1 },
      { upToMs: 86_400_000, count: 1 },
    ]);
  });

  it('refuses malformed thresholds, naming the field and the rule', async () => {
    const res = await call(t, 'GET', '/admin/insights/lapsing?withinHours=1.5');
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'withinHours', rule: 'must be an integer from 1 to 168' }]);
    expect((await call(t, 'GET', '/admin/insights/deadline-cliff', undefined, null)).status).toBe(401);
  });
});

describeEachDatabase('GET /admin/orders?search=', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApiApp(kind);
  });
  afterAll(() => t.close());

  it('finds orders by exact merchantOrderId or paymentId, with the other filters', async () => {
    const a = await registerOrder(t, { merchantOrderId: 'SO-SEARCH-1' });
    const b = await registerOrder(t, { merchantOrderId: 'SO-SEARCH-2' });
    await registerOrder(t, { merchantOrderId: 'SO-SEARCH-10' });
    const byMerchant = await call<Page>(t, 'GET', '/admin/orders?search=SO-SEARCH-1');
    expect(byMerchant.body.items.map((o) => o.id)).toEqual([a.id]);
    const byPayment = await call<Page>(t, 'GET', `/admin/orders?search=${b.paymentId}`);
    expect(byPayment.body.items.map((o) => o.id)).toEqual([b.id]);
    const none = await call<Page>(t, 'GET', `/admin/orders?search=${b.paymentId}&state=captured`);
    expect(none.body.items).toEqual([]);
    const bad = await call(t, 'GET', '/admin/orders?search=has%20space');
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([
      { field: 'search', rule: 'must be 1 to 64 printable ASCII characters without spaces' },
    ]);
  });
});
