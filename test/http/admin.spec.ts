import { OrderEntity } from '../../src/capture/persistence/entities';
import { registration } from '../support/capture-testing';
import { describeEachDatabase } from '../support/databases';
import type { TestApp } from '../support/http-app';
import { orderIn, startApiApp } from './orders-api.support';
import { call, registerOrder, TOKEN, type OrderBody } from '../support/http-app';
import { DAY } from '../support/time';

interface Page {
  items: OrderBody[];
  nextCursor: string | null;
}

describeEachDatabase('admin routes: auth and OpenAPI', (kind) => {
  let t: TestApp;
  let id: string;
  beforeAll(async () => {
    t = await startApiApp(kind);
    id = (await registerOrder(t)).id;
  });
  afterAll(() => t.close());

  const routes = (): [string, string, unknown?][] => [
    ['GET', '/admin/orders'],
    ['GET', `/admin/orders/${id}`],
    ['POST', `/admin/orders/${id}/capture`, {}],
    ['POST', `/admin/orders/${id}/cancel`, {}],
    ['POST', `/admin/orders/${id}/reconcile`],
    ['POST', `/admin/orders/${id}/review/resolve`, { note: 'n' }],
    ['GET', '/admin/stats'],
  ];

  it('every admin route is 401 without a token and with a wrong one, and nothing happens', async () => {
    for (const token of [null, 'wrong-token-0123456789', `${TOKEN}x`, TOKEN.slice(0, -1)]) {
      for (const [method, path, body] of routes()) {
        const res = await call(t, method, path, body, token);
        expect([token, method, path, res.status]).toEqual([token, method, path, 401]);
        expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
      }
    }
    const order = await call<OrderBody>(t, 'GET', `/orders/${id}`);
    expect(order.body.state).toBe('authorized');
  });

  it('every admin route answers with the right token (never 401 or 5xx)', async () => {
    for (const [method, path, body] of routes()) {
      const res = await call(t, method, path, body);
      expect([method, path, res.status !== 401 && res.status < 500]).toEqual([method, path, true]);
    }
  });

  it('GET /admin/orders/:id: the order with attempts, transitions oldest first, notifications', async () => {
    const order = await orderIn(t, 'captured', { review: true });
    const res = await call(t, 'GET', `/admin/orders/${order.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ...order, notifications: [] });
    expect(res.body.attempts).toEqual([
      expect.objectContaining({
        captureRequestId: `acq-${order.id}`,
        amount: { currency: 'USD', value: '10000' },
        status: 'succeeded',
        origin: 'acquirer',
      }),
    ]);
    expect(res.body.transitions).toEqual([
      {
        from: 'authorized',
        to: 'captured',
        event: 'CAPTURE_SUCCEEDED',
        source: 'test',
        at: expect.any(String),
      },
      { from: 'captured', to: 'captured', event: 'REVIEW_FLAGGED', source: 'test', at: expect.any(String) },
    ]);
    expect((await call(t, 'GET', '/admin/orders/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });

  it('/docs-json is the OpenAPI document of every route, generated from the DTOs; /docs serves the UI', async () => {
    const auth = { headers: { authorization: `Bearer ${TOKEN}` } };
    const res = await t.http('/docs-json', auth);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
    };
    expect(doc.openapi).toMatch(/^3\./);
    const routesInDoc = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(routesInDoc).toEqual(
      expect.arrayContaining([
        'POST /orders',
        'GET /orders',
        'GET /orders/{id}',
        'GET /orders/{id}/shipment',
        'GET /admin/orders',
        'GET /admin/orders/{id}',
        'POST /admin/orders/{id}/capture',
        'POST /admin/orders/{id}/cancel',
        'POST /admin/orders/{id}/reconcile',
        'POST /admin/orders/{id}/review/resolve',
        'GET /admin/stats',
      ]),
    );
    const register = doc.components.schemas.RegisterOrderDto;
    expect(register!.required).toEqual(
      expect.arrayContaining(['merchantOrderId', 'acquirer', 'paymentId', 'amount', 'captureMode']),
    );
    expect(Object.keys(doc.components.schemas.OrderView!.properties ?? {})).toHaveLength(15);
    const ui = await t.http('/docs', auth);
    expect(ui.status).toBe(200);
    expect(ui.headers.get('content-type')).toMatch(/text\/html/);
  });
});

describeEachDatabase('GET /admin/orders: filters and keyset pagination', (kind) => {
  let t: TestApp;
  /** Every order of this app, newest first by (createdAt, id): what an unfiltered walk must give. */
  let all: OrderBody[];
  const base = Date.parse('2031-03-01T00:00:00.000Z');

  beforeAll(async () => {
    t = await startApiApp(kind);
    const made: OrderBody[] = [];
    // Not cancelled: its void goes to the unconfigured acquirer and flags a review in the background.
    const states = [
      'authorized',
      'captured',
      'captureFailed',
      'autoCancelled',
      'capturePending',
      'captured',
    ] as const;
    for (let i = 0; i < 12; i++) {
      const payermax = i % 3 === 0;
      const authorizedAt = new Date(Date.now() - (i % 4) * DAY).toISOString();
      made.push(
        await orderIn(t, states[i % states.length]!, {
          review: i % 5 === 0,
          overrides: { acquirer: payermax ? 'payermax' : 'antom', multiCapture: !payermax, authorizedAt },
        }),
      );
    }
    // Pairs share a creation time, so the id decides between them.
    const repo = t.dataSource.getRepository(OrderEntity);
    for (const [i, o] of made.entries()) {
      await repo.update({ id: o.id }, { createdAt: new Date(base + Math.floor(i / 2) * 60_000) });
    }
    all = await Promise.all(made.map(async (o) => (await call<OrderBody>(t, 'GET', `/orders/${o.id}`)).body));
    all.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || (a.id < b.id ? 1 : -1));
  });
  afterAll(() => t.close());

  async function walk(query: string, limit: number): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = [query, `limit=${limit}`, cursor ? `cursor=${cursor}` : ''].filter(Boolean).join('&');
      const res = await call<Page>(t, 'GET', `/admin/orders?${q}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(limit);
      ids.push(...res.body.items.map((o) => o.id));
      cursor = res.body.nextCursor;
      pages += 1;
      if (pages > 50) throw new Error('pagination does not end');
    } while (cursor);
    return { ids, pages };
  }

  const ids = (orders: OrderBody[]) => orders.map((o) => o.id);

  it('walks every order across pages exactly once, newest first (createdAt, then id)', async () => {
    const { ids: walked, pages } = await walk('', 5);
    expect(pages).toBe(3);
    expect(walked).toEqual(ids(all));
    const one = await walk('', 1);
    expect(one.ids).toEqual(ids(all));
  });

  it('pages are keyset: an order registered meanwhile does not shift the next page', async () => {
    const first = await call<Page>(t, 'GET', '/admin/orders?limit=4');
    const newcomer = await registerOrder(t, registration());
    const second = await call<Page>(t, 'GET', `/admin/orders?limit=4&cursor=${first.body.nextCursor}`);
    expect(ids(first.body.items)).toEqual(ids(all).slice(0, 4));
    expect(ids(second.body.items)).toEqual(ids(all).slice(4, 8));
    expect(ids(second.body.items)).not.toContain(newcomer.id);
    await t.dataSource.getRepository(OrderEntity).delete({ id: newcomer.id });
  });

  it('filters by state (one or several), acquirer and review flag', async () => {
    const match = async (query: string, keep: (o: OrderBody) => boolean) => {
      expect((await walk(query, 2)).ids).toEqual(ids(all.filter(keep)));
    };
    await match('state=captured', (o) => o.state === 'captured');
    await match('state=captured,captureFailed', (o) => o.state === 'captured' || o.state === 'captureFailed');
    await match('state=captured&state=autoCancelled', (o) => ['captured', 'autoCancelled'].includes(o.state));
    await match('acquirer=payermax', (o) => o.acquirer === 'payermax');
    await match('review=true', (o) => o.review !== null);
    await match('review=false', (o) => o.review === null);
    await match('acquirer=antom&review=false', (o) => o.acquirer === 'antom' && o.review === null);
    expect(all.filter((o) => o.review !== null).length).toBeGreaterThan(0);
  });

  it('filters by deadline and by creation time', async () => {
    const cut = new Date(Date.now() + 5 * DAY).toISOString();
    const before = await walk(`deadlineBefore=${cut}`, 3);
    const after = await walk(`deadlineAfter=${cut}`, 3);
    expect(before.ids).toEqual(ids(all.filter((o) => String(o.captureDeadline) < cut)));
    expect(after.ids).toEqual(ids(all.filter((o) => String(o.captureDeadline) >= cut)));
    expect(before.ids.length).toBeGreaterThan(0);
    expect(after.ids.length).toBeGreaterThan(0);

    const from = new Date(base + 2 * 60_000).toISOString();
    const to = new Date(base + 4 * 60_000).toISOString();
    const range = await walk(`createdFrom=${from}&createdTo=${to}`, 3);
    expect(range.ids).toEqual(ids(all.filter((o) => o.createdAt >= from && o.createdAt < to)));
    expect(range.ids).toHaveLength(4);
  });

  it('names every bad filter', async () => {
    const res = await call(
      t,
      'GET',
      '/admin/orders?state=shipped&acquirer=visa&review=maybe&deadlineBefore=soon&limit=0&createdFrom=2031-01-01',
    );
    expect(res.status).toBe(400);
    expect((res.body.details as { field: string }[]).map((d) => d.field).sort()).toEqual([
      'acquirer',
      'createdFrom',
      'deadlineBefore',
      'limit',
      'review',
      'state',
    ]);
    const cursor = await call(t, 'GET', '/admin/orders?cursor=not-a-cursor');
    expect(cursor.status).toBe(400);
    expect(cursor.body.details).toEqual([{ field: 'cursor', rule: 'not a cursor this API issued' }]);
    expect((await call(t, 'GET', '/admin/orders?limit=201')).status).toBe(400);
  });
});
