import type { CaptureStateName } from '../../src/capture/machine/capture-types';
import { describeEachDatabase } from '../support/databases';
import type { TestApp } from '../support/http-app';
import { apply, orderIn, startApiApp } from './orders-api.support';
import { call } from '../support/http-app';

interface Shipment {
  shippable: boolean;
  state: CaptureStateName;
  capturedAmount: { currency: string; value: string };
  authorizedAmount: { currency: string; value: string };
  reason: string | null;
}

const NOT_SHIPPABLE: [CaptureStateName, RegExp, string][] = [
  ['authorized', /not captured/, '0'],
  ['capturePending', /pending/, '0'],
  ['partiallyCaptured', /partially captured/, '4000'],
  ['captureFailed', /failed/, '0'],
  ['autoCancelled', /lapsed/, '0'],
  ['partiallyLapsed', /4000 of 10000 captured, the remaining 6000 lapsed/, '4000'],
  ['cancelled', /cancelled/, '0'],
];

describeEachDatabase('GET /orders/:id/shipment', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApiApp(kind);
  });
  afterAll(() => t.close());

  const shipment = async (id: string) => (await call<Shipment>(t, 'GET', `/orders/${id}/shipment`)).body;

  it('a captured order without a review may ship', async () => {
    const order = await orderIn(t, 'captured');
    expect(await shipment(order.id)).toEqual({
      shippable: true,
      state: 'captured',
      capturedAmount: { currency: 'USD', value: '10000' },
      authorizedAmount: { currency: 'USD', value: '10000' },
      reason: null,
    });
  });

  it.each(NOT_SHIPPABLE)('%s: may not ship, and the reason says why', async (state, why, captured) => {
    const order = await orderIn(t, state);
    const s = await shipment(order.id);
    expect(s).toMatchObject({
      shippable: false,
      state,
      capturedAmount: { currency: 'USD', value: captured },
      authorizedAmount: { currency: 'USD', value: '10000' },
    });
    expect(s.reason).toMatch(why);
  });

  it('a captured order under review may not ship until the review is resolved', async () => {
    const order = await orderIn(t, 'captured', { review: true });
    const before = await shipment(order.id);
    expect(before).toMatchObject({ shippable: false, state: 'captured' });
    expect(before.reason).toBe('under review: looks odd');

    const resolved = await call(t, 'POST', `/admin/orders/${order.id}/review/resolve`, { note: 'checked' });
    expect(resolved.status).toBe(200);
    expect(await shipment(order.id)).toMatchObject({ shippable: true, reason: null });
  });

  it('a partial capture whose remainder lapses at the deadline may not ship, and says how much lapsed', async () => {
    const order = await orderIn(t, 'partiallyCaptured');
    await apply(t, order.id, { type: 'DEADLINE_REACHED', at: order.captureDeadline });
    const s = await shipment(order.id);
    expect(s).toMatchObject({
      shippable: false,
      state: 'partiallyLapsed',
      capturedAmount: { value: '4000' },
    });
    expect(s.reason).toBe(
      'authorization lapsed in part: 4000 of 10000 captured, the remaining 6000 lapsed uncaptured; ' +
        'under review: the authorization ended with 4000 of 10000 captured; 6000 lapsed',
    );
  });

  it('an open review is named next to the state reason', async () => {
    const order = await orderIn(t, 'partiallyCaptured', { review: true });
    const s = await shipment(order.id);
    expect(s.shippable).toBe(false);
    expect(s.reason).toMatch(/partially captured.*; under review: looks odd/);
  });

  it('404 for an unknown order', async () => {
    const res = await call(t, 'GET', '/orders/00000000-0000-0000-0000-000000000000/shipment');
    expect(res.status).toBe(404);
  });
});
