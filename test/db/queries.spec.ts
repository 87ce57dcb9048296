import { decodeCursor, encodeCursor, InvalidCursorError } from '../../src/capture/queries/cursor';
import { OrderDetailQuery, OrderListQuery, OrderStatsQuery } from '../../src/capture/queries';
import {
  CaptureAttemptEntity,
  InboundNotificationEntity,
  OrderEntity,
} from '../../src/capture/persistence/entities';
import { registration } from '../support/capture-testing';
import { describeEachDatabase } from '../support/databases';
import { createExecutionHarness, type ExecutionHarness } from '../support/execution-harness';
import { MINUTE, HOUR } from '../support/time';

describe('keyset cursors', () => {
  it('round-trip the key of the last row', () => {
    const key = {
      createdAt: new Date('2031-01-02T03:04:05.678Z'),
      id: 'b3c1b0de-0000-4000-8000-000000000000',
    };
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
  });

  it.each([
    '',
    'x',
    Buffer.from('{}').toString('base64url'),
    Buffer.from('["soon","a"]').toString('base64url'),
  ])('refuse %p', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
  });
});

describeEachDatabase('order queries', (kind) => {
  let h: ExecutionHarness;
  let lists: OrderListQuery;
  beforeAll(async () => {
    h = await createExecutionHarness(kind, { schedulerEnabled: false });
    lists = h.module.get(OrderListQuery);
  });
  afterAll(() => h.close());

  async function newOrder(overrides = {}, createdAt?: Date): Promise<OrderEntity> {
    const r = await h.orders.register(registration(overrides), createdAt);
    if (r.kind !== 'created') throw new Error(r.kind);
    return r.order;
  }

  it('pages through rows created in the same millisecond by id, none skipped or repeated', async () => {
    const same = new Date('2032-05-05T05:05:05.505Z');
    const made = await Promise.all(Array.from({ length: 7 }, () => newOrder({ acquirer: 'payermax' }, same)));
    const expected = made
      .map((o) => o.id)
      .sort()
      .reverse();
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await lists.list({
        createdFrom: same,
        createdTo: new Date(same.getTime() + 1),
        limit: 3,
        cursor,
      });
      seen.push(...page.items.map((o) => o.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(expected);
  });

  it('a cursor keeps working after the row it points at is gone', async () => {
    const t0 = new Date('2033-01-01T00:00:00.000Z');
    const made = [];
    for (let i = 0; i < 4; i++) made.push(await newOrder({}, new Date(t0.getTime() + i * MINUTE)));
    const window = { createdFrom: t0, createdTo: new Date(t0.getTime() + HOUR) };
    const first = await lists.list({ ...window, limit: 2 });
    expect(first.items.map((o) => o.id)).toEqual([made[3]!.id, made[2]!.id]);
    await h.dataSource.getRepository(OrderEntity).delete({ id: made[2]!.id });
    const second = await lists.list({ ...window, limit: 2, cursor: first.nextCursor ?? undefined });
    expect(second.items.map((o) => o.id)).toEqual([made[1]!.id, made[0]!.id]);
    expect(second.nextCursor).toBeNull();
  });

  it('finds the latest registration by merchantOrderId, paymentId and acquirer', async () => {
    const older = await newOrder({ merchantOrderId: 'SHARED-1' }, new Date('2034-01-01T00:00:00Z'));
    const newer = await newOrder(
      { merchantOrderId: 'SHARED-1', acquirer: 'payermax' },
      new Date('2034-01-02T00:00:00Z'),
    );
    expect((await lists.findLatest({ merchantOrderId: 'SHARED-1' }))?.id).toBe(newer.id);
    expect((await lists.findLatest({ merchantOrderId: 'SHARED-1', acquirer: 'antom' }))?.id).toBe(older.id);
    expect((await lists.findLatest({ paymentId: older.paymentId ?? '' }))?.id).toBe(older.id);
    expect(await lists.findLatest({ merchantOrderId: 'SHARED-1', paymentId: 'other' })).toBeNull();
  });

  it('the detail has attempts, transitions oldest first, and the notifications stored for the order', async () => {
    const order = await newOrder({ captureMode: 'AUTOMATIC' });
    const at = new Date().toISOString();
    await h.capture.apply(
      order.id,
      { type: 'CAPTURE_PENDING', captureRequestId: `q-${order.id}`, at },
      'webhook:antom',
    );
    await h.capture.apply(
      order.id,
      {
        type: 'CAPTURE_SUCCEEDED',
        captureRequestId: `q-${order.id}`,
        amount: { currency: 'USD', value: '10000' },
        at,
      },
      'webhook:antom',
    );
    await h.dataSource.getRepository(InboundNotificationEntity).insert({
      acquirer: 'antom',
      notifyType: 'CAPTURE_RESULT',
      dedupeKey: `dk-${order.id}`,
      paymentId: order.paymentId,
      captureRequestId: `q-${order.id}`,
      orderId: order.id,
      outcome: 'applied',
      detail: null,
      rawBody: '{"notifyType":"CAPTURE_RESULT"}',
      receivedAt: new Date(),
      processedAt: new Date(),
    });
    const d = await h.module.get(OrderDetailQuery).get(order.id);
    expect(d?.transitions.map((t) => [t.fromState, t.toState, t.eventType])).toEqual([
      ['authorized', 'capturePending', 'CAPTURE_PENDING'],
      ['capturePending', 'captured', 'CAPTURE_SUCCEEDED'],
    ]);
    expect(d?.attempts.map((a) => [a.captureRequestId, a.status])).toEqual([[`q-${order.id}`, 'succeeded']]);
    expect(d?.notifications.map((n) => n.rawBody)).toEqual(['{"notifyType":"CAPTURE_RESULT"}']);
    expect(await h.module.get(OrderDetailQuery).get('00000000-0000-0000-0000-000000000000')).toBeNull();
  });

  it('stats at a given time: deadlines and attempt ages on the bucket edges', async () => {
    const stats = h.module.get(OrderStatsQuery);
    const now = new Date('2040-06-01T12:00:00.000Z');
    const before = await stats.get(now);
    // Deadlines 7 days after authorization: exactly now (lapsed, not lapsing), now + 1 ms, now + 24 h (in), now + 24 h + 1 ms (out).
    const deadlines = [0, 1, 24 * HOUR, 24 * HOUR + 1];
    for (const offset of deadlines) {
      // Registered at `now`: an authorization time is judged against the registration's clock.
      await newOrder({ authorizedAt: new Date(now.getTime() + offset - 7 * 24 * HOUR).toISOString() }, now);
    }
    // Buckets: [0, 5 min), [5 min, 1 h), [1 h, 24 h), [24 h, ...).
    const ages = [5 * MINUTE - 1, 5 * MINUTE, HOUR, 24 * HOUR, 24 * HOUR + 1];
    for (const age of ages) {
      const o = await newOrder({ captureMode: 'AUTOMATIC' });
      await h.capture.apply(
        o.id,
        { type: 'CAPTURE_PENDING', captureRequestId: `age-${o.id}`, at: now.toISOString() },
        'test',
      );
      await h.dataSource
        .getRepository(CaptureAttemptEntity)
        .update({ captureRequestId: `age-${o.id}` }, { createdAt: new Date(now.getTime() - age) });
    }
    const after = await stats.get(now);
    expect(after.lapsingWithin24h - before.lapsingWithin24h).toBe(2);
    expect(after.byState.authorized - before.byState.authorized).toBe(4);
    expect(after.byState.capturePending - before.byState.capturePending).toBe(5);
    const grew = (k: keyof typeof after.pendingAttempts.byAge) =>
      after.pendingAttempts.byAge[k] - before.pendingAttempts.byAge[k];
    expect([grew('under5m'), grew('from5mTo1h'), grew('from1hTo24h'), grew('over24h')]).toEqual([1, 1, 1, 2]);
    expect(after.pendingAttempts.total - before.pendingAttempts.total).toBe(5);
  });
});
