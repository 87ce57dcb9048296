import { EventEmitter2 } from '@nestjs/event-emitter';
import { IsNull } from 'typeorm';
import type { CaptureEvent } from '../../src/capture/machine/capture-types';
import { OutboxEventEntity } from '../../src/capture/persistence/entities';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../support/databases';
import type { TestApp } from '../support/http-app';
import { sequenceOf, startShippingEndpoint, type ShippingEndpoint } from './outbox-endpoint.support';
import { apply, eventually, startApiApp } from './orders-api.support';
import { registerOrder } from '../support/http-app';

const now = () => new Date().toISOString();

describeEachDatabase('outbox delivery with two instances on one database', (kind) => {
  let endpoint: ShippingEndpoint;
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    endpoint = await startShippingEndpoint();
    db = await createTestDatabase(kind);
    a = await startApiApp(kind, { SHIPPING_WEBHOOK_URL: endpoint.url }, db);
    // B writes nothing itself: it only finds A's events by sweeping, as fast as it may.
    b = await startApiApp(kind, { SHIPPING_WEBHOOK_URL: endpoint.url, SCHEDULER_INTERVAL_MS: '20' }, db);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await endpoint.close();
    await db.drop();
  });

  const heardA: string[] = [];
  const heardB: string[] = [];
  beforeAll(() => {
    a.app.get(EventEmitter2).on('order.captured', (e: { id: string }) => void heardA.push(e.id));
    b.app.get(EventEmitter2).on('order.captured', (e: { id: string }) => void heardB.push(e.id));
  });

  it('each event is acknowledged once, and each order stays in order, whoever delivers it', async () => {
    endpoint.failNext(4);
    const orders: string[] = [];
    for (let i = 0; i < 6; i++) {
      const order = await registerOrder(a, { captureMode: 'AUTOMATIC' });
      orders.push(order.id);
      const events: CaptureEvent[] = [
        { type: 'DEADLINE_WARNING', at: now() },
        { type: 'REVIEW_FLAGGED', reason: `check ${i}`, at: now() },
        {
          type: 'CAPTURE_SUCCEEDED',
          captureRequestId: `acq-${order.id}`,
          amount: { currency: 'USD', value: '10000' },
          at: now(),
        },
      ];
      for (const e of events) expect((await apply(a, order.id, e)).kind).toBe('applied');
    }
    const rows = await a.dataSource.getRepository(OutboxEventEntity).find({ order: { id: 'ASC' } });
    expect(rows).toHaveLength(18);
    await eventually(async () => {
      const left = await a.dataSource.getRepository(OutboxEventEntity).countBy({ deliveredAt: IsNull() });
      return left === 0 ? true : undefined;
    }, 20_000);

    const acknowledged = endpoint.delivered().map((d) => d.eventId);
    expect([...acknowledged].sort()).toEqual(rows.map((r) => r.eventId).sort());
    for (const orderId of orders) {
      const own = rows.filter((r) => r.orderId === orderId).map((r) => r.eventId);
      expect(sequenceOf(endpoint.received, orderId)).toEqual(own);
    }
    // The listeners of whichever instance delivered an event heard it.
    const captured = rows.filter((r) => r.type === 'order.captured').map((r) => r.eventId);
    expect(new Set([...heardA, ...heardB])).toEqual(new Set(captured));
  });
});
