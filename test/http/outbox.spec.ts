import { EventEmitter2 } from '@nestjs/event-emitter';
import { DataSource } from 'typeorm';
import type { CaptureEvent } from '../../src/capture/machine/capture-types';
import { databaseOptions } from '../../src/capture/persistence/database-options';
import { OutboxEventEntity } from '../../src/capture/persistence/entities';
import { deliveryBackoffMs } from '../../src/outbox/outbox-dispatcher';
import type { DomainEvent } from '../../src/outbox';
import { createTestDatabase, describeEachDatabase } from '../support/databases';
import type { TestApp } from '../support/http-app';
import { startShippingEndpoint, sequenceOf, type ShippingEndpoint } from './outbox-endpoint.support';
import { apply, eventually, orderIn, startApiApp } from './orders-api.support';
import { registerOrder } from '../support/http-app';

const now = () => new Date().toISOString();

async function outboxOf(t: TestApp, orderId: string): Promise<OutboxEventEntity[]> {
  return t.dataSource.getRepository(OutboxEventEntity).find({ where: { orderId }, order: { id: 'ASC' } });
}

/** Five events for one AUTOMATIC order, in this order. */
async function eventfulOrder(t: TestApp): Promise<string> {
  const order = await registerOrder(t, { captureMode: 'AUTOMATIC' });
  const acq = `acq-${order.id}`;
  const events: CaptureEvent[] = [
    { type: 'DEADLINE_WARNING', at: now() },
    {
      type: 'CAPTURE_FAILED',
      captureRequestId: `${acq}-1`,
      resultCode: 'USER_BALANCE_NOT_ENOUGH',
      at: now(),
    },
    { type: 'REVIEW_FLAGGED', reason: 'customer called', at: now() },
    {
      type: 'CAPTURE_SUCCEEDED',
      captureRequestId: `${acq}-2`,
      amount: { currency: 'USD', value: '10000' },
      at: now(),
    },
  ];
  for (const e of events) expect((await apply(t, order.id, e)).kind).toBe('applied');
  return order.id;
}

describe('delivery backoff', () => {
  it('doubles from half a second and stops growing at five minutes', () => {
    expect([1, 2, 3, 4].map(deliveryBackoffMs)).toEqual([500, 1000, 2000, 4000]);
    expect(deliveryBackoffMs(30)).toBe(300_000);
  });
});

describeEachDatabase('outbox delivery', (kind) => {
  let endpoint: ShippingEndpoint;
  let t: TestApp;
  const heard: DomainEvent[] = [];
  beforeAll(async () => {
    endpoint = await startShippingEndpoint();
    t = await startApiApp(kind, { SHIPPING_WEBHOOK_URL: endpoint.url });
    for (const type of ['order.captured', 'order.capture_failed', 'order.review_required'] as const) {
      t.app.get(EventEmitter2).on(type, (e: DomainEvent) => void heard.push(e));
    }
  });
  afterAll(async () => {
    await t.close();
    await endpoint.close();
  });

  it('retries a shipping endpoint that fails twice until it answers 2xx, with the same event id', async () => {
    endpoint.failNext(2);
    const order = await orderIn(t, 'captured');
    const [row] = await outboxOf(t, order.id);
    expect(row!.type).toBe('order.captured');
    const delivered = await eventually(async () => {
      const r = await t.dataSource.getRepository(OutboxEventEntity).findOneByOrFail({ id: row!.id });
      return r.deliveredAt ? r : undefined;
    });
    const calls = endpoint.received.filter((r) => r.orderId === order.id);
    expect(calls.map((c) => [c.eventId, c.status])).toEqual([
      [row!.eventId, 500],
      [row!.eventId, 500],
      [row!.eventId, 204],
    ]);
    expect(delivered).toMatchObject({ attempts: 2, lastError: null });
    expect(calls[2]!.contentType).toBe('application/json');
    expect(calls[2]!.body).toEqual({
      id: row!.eventId,
      type: 'order.captured',
      occurredAt: expect.any(String),
      order: {
        id: order.id,
        merchantOrderId: order.merchantOrderId,
        acquirer: 'antom',
        paymentId: order.paymentId,
        state: 'captured',
        amount: { currency: 'USD', value: '10000' },
        capturedAmount: { currency: 'USD', value: '10000' },
        review: null,
      },
    });
    // In-process listeners got it once, although the webhook needed three tries.
    expect(heard.filter((e) => e.id === row!.eventId)).toHaveLength(1);
  });

  it("delivers each order's events in order, never a later one before an earlier one is acknowledged", async () => {
    endpoint.failNext(3);
    const orders = await Promise.all([eventfulOrder(t), eventfulOrder(t)]);
    for (const orderId of orders) {
      const rows = await outboxOf(t, orderId);
      expect(rows.map((r) => r.type)).toEqual([
        'order.capture_deadline_approaching',
        'order.capture_failed',
        'order.review_required',
        'order.captured',
        'order.review_required',
      ]);
      await eventually(async () => {
        const delivered = new Set(endpoint.delivered().map((d) => d.eventId));
        return rows.every((r) => delivered.has(r.eventId)) ? true : undefined;
      });
      expect(sequenceOf(endpoint.received, orderId)).toEqual(rows.map((r) => r.eventId));
      const listened = heard.filter((e) => e.order.id === orderId).map((e) => e.id);
      expect(listened).toEqual(
        rows.filter((r) => r.type !== 'order.capture_deadline_approaching').map((r) => r.eventId),
      );
    }
    expect(endpoint.received.filter((r) => r.status === 500).length).toBeGreaterThanOrEqual(3);
  });
});

describeEachDatabase('outbox delivery across a restart', (kind) => {
  it('events left undelivered when the app stops are delivered, in order, by the next start', async () => {
    const endpoint = await startShippingEndpoint();
    const db = await createTestDatabase(kind);
    try {
      endpoint.setDown(true);
      const first = await startApiApp(kind, { SHIPPING_WEBHOOK_URL: endpoint.url }, db);
      const orderId = await eventfulOrder(first);
      await eventually(async () => (endpoint.received.length > 0 ? true : undefined));
      await first.close();
      const left = await readOutbox(kind, db.url, orderId);
      expect(left.undelivered).toBe(5);

      endpoint.setDown(false);
      const second = await startApiApp(kind, { SHIPPING_WEBHOOK_URL: endpoint.url }, db);
      try {
        const rows = await outboxOf(second, orderId);
        await eventually(async () => {
          const fresh = await outboxOf(second, orderId);
          return fresh.every((r) => r.deliveredAt) ? true : undefined;
        }, 20_000);
        expect(endpoint.delivered().map((d) => d.eventId)).toEqual(rows.map((r) => r.eventId));
        expect(sequenceOf(endpoint.received, orderId)).toEqual(rows.map((r) => r.eventId));
      } finally {
        await second.close();
      }
    } finally {
      await endpoint.close();
      await db.drop();
    }
  });
});

/** Reads the outbox of a stopped app straight from its database. */
async function readOutbox(kind: string, url: string, orderId: string) {
  const ds = new DataSource(databaseOptions(url, false));
  await ds.initialize();
  try {
    const rows = await ds.getRepository(OutboxEventEntity).find({ where: { orderId } });
    return { kind, undelivered: rows.filter((r) => r.deliveredAt === null).length };
  } finally {
    await ds.destroy();
  }
}
