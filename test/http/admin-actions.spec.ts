import { describeEachDatabase } from '../support/databases';
import type { TestApp } from '../support/http-app';
import { orderIn, startApiApp } from './orders-api.support';
import { call, detail, registerOrder, type OrderBody } from '../support/http-app';

const UNKNOWN = '00000000-0000-0000-0000-000000000000';

describeEachDatabase('admin actions', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApiApp(kind);
  });
  afterAll(() => t.close());

  /**
   * A refusal is 409 with the machine's reason, and writes no transition. (Others may: voiding a
   * cancelled order through the unconfigured acquirer flags a review in the background.)
   */
  async function refused(id: string, path: string, body: unknown, reason: RegExp) {
    const res = await call(t, 'POST', `/admin/orders/${id}/${path}`, body);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ statusCode: 409, error: 'Conflict', message: expect.stringMatching(reason) });
    expect((await detail(t, id)).transitions.filter((tr) => tr.source === 'admin')).toEqual([]);
  }

  describe('POST /admin/orders/:id/capture', () => {
    it('202 with the committed attempt; recorded as CAPTURE_REQUESTED from admin', async () => {
      const order = await registerOrder(t, { captureMode: 'MANUAL' });
      const res = await call(t, 'POST', `/admin/orders/${order.id}/capture`);
      expect(res.status).toBe(202);
      expect(res.body).toEqual({
        orderId: order.id,
        captureRequestId: expect.stringMatching(/^cr_[0-9a-f]{32}$/),
        amount: { currency: 'USD', value: '10000' },
        isLast: true,
        status: 'pending',
      });
      const d = await detail(t, order.id);
      expect(d.transitions[0]).toEqual({
        from: 'authorized',
        to: 'capturePending',
        event: 'CAPTURE_REQUESTED',
        source: 'admin',
        at: expect.any(String),
      });
      expect(d.attempts.map((a) => a.captureRequestId)).toContain(res.body.captureRequestId);
    });

    it('a partial amount on a multi-capture order, and isLast', async () => {
      const order = await registerOrder(t, { captureMode: 'MANUAL', multiCapture: true });
      const partial = await call(t, 'POST', `/admin/orders/${order.id}/capture`, { amount: '2500' });
      expect(partial.status).toBe(202);
      expect(partial.body).toMatchObject({ amount: { currency: 'USD', value: '2500' }, isLast: false });
      const other = await registerOrder(t, { captureMode: 'MANUAL', multiCapture: true });
      const last = await call(t, 'POST', `/admin/orders/${other.id}/capture`, {
        amount: '2500',
        isLast: true,
      });
      expect(last.body).toMatchObject({ amount: { value: '2500' }, isLast: true });
    });

    it('refused with the machine reason: AUTOMATIC, in flight, captured, too much, not the full amount', async () => {
      const automatic = await orderIn(t, 'authorized');
      await refused(automatic.id, 'capture', {}, /AUTOMATIC orders are captured by the acquirer/);
      await refused((await orderIn(t, 'capturePending')).id, 'capture', {}, /already in flight/);
      await refused((await orderIn(t, 'captured')).id, 'capture', {}, /the order is captured/);
      await refused((await orderIn(t, 'cancelled')).id, 'capture', {}, /the order is cancelled/);
      const manual = await registerOrder(t, { captureMode: 'MANUAL' });
      await refused(
        manual.id,
        'capture',
        { amount: '10001' },
        /exceeds the remaining authorized amount \(10000\)/,
      );
      const fullOnly = await registerOrder(t, { captureMode: 'MANUAL', fullCaptureOnly: true });
      await refused(fullOnly.id, 'capture', { amount: '500' }, /full authorized amount \(10000\) only/);
    });

    it('validates its body and answers 404 for an unknown order', async () => {
      const order = await registerOrder(t, { captureMode: 'MANUAL' });
      const bad = await call(t, 'POST', `/admin/orders/${order.id}/capture`, {
        amount: '25.00',
        isLast: 'no',
        x: 1,
      });
      expect(bad.status).toBe(400);
      expect(bad.body.details).toHaveLength(3);
      expect(bad.body.details).toEqual(
        expect.arrayContaining([
          { field: 'amount', rule: expect.stringContaining('minor units') },
          { field: 'isLast', rule: 'must be true or false' },
          { field: 'x', rule: 'is not a known field' },
        ]),
      );
      expect((await call(t, 'POST', `/admin/orders/${UNKNOWN}/capture`)).status).toBe(404);
    });
  });

  describe('POST /admin/orders/:id/cancel', () => {
    it('cancels an authorized order; recorded as CANCEL_REQUESTED from admin; a repeat is 200', async () => {
      const order = await registerOrder(t, { captureMode: 'MANUAL' });
      const res = await call<OrderBody>(t, 'POST', `/admin/orders/${order.id}/cancel`, {
        reason: 'customer asked',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: order.id, state: 'cancelled' });
      expect((await detail(t, order.id)).transitions[0]).toMatchObject({
        from: 'authorized',
        to: 'cancelled',
        event: 'CANCEL_REQUESTED',
        source: 'admin',
      });
      const again = await call<OrderBody>(t, 'POST', `/admin/orders/${order.id}/cancel`);
      expect(again.status).toBe(200);
      expect(again.body.state).toBe('cancelled');
    });

    it('cancels after a failed capture, without a body', async () => {
      const order = await orderIn(t, 'captureFailed');
      const res = await call<OrderBody>(t, 'POST', `/admin/orders/${order.id}/cancel`);
      expect([res.status, res.body.state]).toEqual([200, 'cancelled']);
    });

    it('refused with the machine reason once anything is captured or in flight', async () => {
      await refused(
        (await orderIn(t, 'captured')).id,
        'cancel',
        {},
        /the order is captured; it cannot be cancelled/,
      );
      await refused(
        (await orderIn(t, 'partiallyCaptured')).id,
        'cancel',
        {},
        /part of the amount is captured/,
      );
      await refused((await orderIn(t, 'capturePending')).id, 'cancel', {}, /in flight/);
      await refused((await orderIn(t, 'autoCancelled')).id, 'cancel', {}, /autoCancelled/);
    });

    it('validates its body and answers 404 for an unknown order', async () => {
      const order = await registerOrder(t);
      const bad = await call(t, 'POST', `/admin/orders/${order.id}/cancel`, { reason: 'r'.repeat(257) });
      expect(bad.body.details).toEqual([{ field: 'reason', rule: expect.stringContaining('256') }]);
      expect((await call(t, 'POST', `/admin/orders/${UNKNOWN}/cancel`)).status).toBe(404);
    });
  });

  describe('POST /admin/orders/:id/review/resolve', () => {
    it('closes the review; recorded as REVIEW_RESOLVED from admin', async () => {
      const order = await orderIn(t, 'captured', { review: true });
      const res = await call<OrderBody>(t, 'POST', `/admin/orders/${order.id}/review/resolve`, {
        note: 'checked with the acquirer',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ state: 'captured', review: null });
      expect((await detail(t, order.id)).transitions.at(-1)).toMatchObject({
        from: 'captured',
        to: 'captured',
        event: 'REVIEW_RESOLVED',
        source: 'admin',
      });
    });

    it('refused when no review is open', async () => {
      await refused((await orderIn(t, 'captured')).id, 'review/resolve', { note: 'n' }, /no review is open/);
    });

    it('a note is required', async () => {
      const order = await orderIn(t, 'captured', { review: true });
      for (const body of [undefined, {}, { note: '   ' }, { note: 5 }]) {
        const res = await call(t, 'POST', `/admin/orders/${order.id}/review/resolve`, body);
        expect(res.status).toBe(400);
        expect(res.body.details).toEqual([{ field: 'note', rule: expect.any(String) }]);
      }
      expect((await call(t, 'POST', `/admin/orders/${UNKNOWN}/review/resolve`, { note: 'n' })).status).toBe(
        404,
      );
    });
  });
});
