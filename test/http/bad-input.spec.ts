/**
 * Values that cannot be stored or compared by the database are refused before they reach it,
 * with the same answer on both: PostgreSQL rejects a NUL byte and an out-of-range timestamp
 * with an error where SQLite quietly finds nothing, which used to make the same request a 500
 * on one database and a 400/404 on the other.
 */
import { DATE_RULES } from '../../src/capture/dates';
import { describeEachDatabase } from '../support/databases';
import type { TestApp } from '../support/http-app';
import { startApiApp } from './orders-api.support';
import { call, registerOrder } from '../support/http-app';

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

describeEachDatabase('bad input never reaches the database', (kind) => {
  let t: TestApp;
  let id: string;
  beforeAll(async () => {
    t = await startApiApp(kind, { LOG_LEVEL: 'silent' });
    id = (await registerOrder(t)).id;
  });
  afterAll(() => t.close());

  it('an order id that cannot exist (NUL, control characters, too long) is 404 on every route', async () => {
    for (const bad of ['%00', `${id}%00`, 'a%01b', 'x'.repeat(37)]) {
      const routes: [string, string, unknown?][] = [
        ['GET', `/orders/${bad}`],
        ['GET', `/orders/${bad}/shipment`],
        ['GET', `/admin/orders/${bad}`],
        ['POST', `/admin/orders/${bad}/capture`, {}],
        ['POST', `/admin/orders/${bad}/cancel`, {}],
        ['POST', `/admin/orders/${bad}/reconcile`],
        ['POST', `/admin/orders/${bad}/review/resolve`, { note: 'ok' }],
      ];
      for (const [method, path, body] of routes) {
        const res = await call(t, method, path, body);
        expect([method, path, res.status]).toEqual([method, path, 404]);
        expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'order not found' });
      }
    }
    expect((await call(t, 'GET', `/orders/${id}`)).status).toBe(200);
  });

  it.each([
    ['a year past what dates hold', ['+275760-09-13T00:00:00.000Z', 'f'.repeat(36)]],
    ['a negative year', ['-000001-01-01T00:00:00.000Z', 'f'.repeat(36)]],
    ['a day that does not exist', ['2026-02-31T00:00:00.000Z', 'f'.repeat(36)]],
    ['a NUL in the id', ['2026-01-01T00:00:00.000Z', 'abc\u0000def']],
    ['a NUL in the date', ['2026-01-01T00:00:00.000Z\u0000', 'abc']],
  ])('a cursor with %s is 400 naming cursor', async (_what, value) => {
    const res = await call(t, 'GET', `/admin/orders?cursor=${cursorOf(value)}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ details: [{ field: 'cursor', rule: 'not a cursor this API issued' }] });
  });

  it('lookup keys and filters with a NUL or an impossible date are 400 naming the field and the rule', async () => {
    for (const field of ['merchantOrderId', 'paymentId']) {
      const res = await call(t, 'GET', `/orders?${field}=SO%001`);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field, rule: expect.stringContaining('printable') }]);
    }
    for (const field of ['deadlineBefore', 'deadlineAfter', 'createdFrom', 'createdTo']) {
      const rolled = await call(t, 'GET', `/admin/orders?${field}=2026-02-31T00:00:00Z`);
      expect(rolled.status).toBe(400);
      expect(rolled.body.details).toEqual([{ field, rule: DATE_RULES.calendar }]);
      const nul = await call(t, 'GET', `/admin/orders?${field}=2026-01-01T00:00:00Z%00`);
      expect(nul.status).toBe(400);
      expect(nul.body.details).toEqual([{ field, rule: DATE_RULES.dateTime }]);
      const huge = await call(t, 'GET', `/admin/orders?${field}=%2B275760-09-13T00:00:00Z`);
      expect(huge.status).toBe(400);
    }
    const ok = await call(
      t,
      'GET',
      '/admin/orders?createdFrom=1999-01-01T00:00:00Z&deadlineBefore=9999-12-31T23:59:59Z',
    );
    expect(ok.status).toBe(200);
  });

  it('operator notes and reasons with control characters are 400', async () => {
    const cancel = await call(t, 'POST', `/admin/orders/${id}/cancel`, { reason: 'bad\u0000reason' });
    expect(cancel.status).toBe(400);
    expect(cancel.body.details).toEqual([{ field: 'reason', rule: 'must not contain control characters' }]);
    const resolve = await call(t, 'POST', `/admin/orders/${id}/review/resolve`, { note: 'ok\u0007' });
    expect(resolve.status).toBe(400);
    expect(resolve.body.details).toEqual([{ field: 'note', rule: 'must not contain control characters' }]);
  });

  describe('registration dates', () => {
    const sixMinutesAhead = () => new Date(Date.now() + 6 * 60_000).toISOString();
    it.each([
      ['authorizedAt', '9999-12-31T00:00:00Z', DATE_RULES.notInFuture],
      ['authorizedAt', sixMinutesAhead, DATE_RULES.notInFuture],
      ['authorizedAt', '2026-02-31T00:00:00Z', DATE_RULES.calendar],
      ['authorizedAt', '1970-01-01T00:00:00Z', DATE_RULES.notBeforeFloor],
      ['captureAt', '2026-02-31T00:00:00Z', DATE_RULES.calendar],
      ['captureAt', '1999-12-31T00:00:00Z', DATE_RULES.notBeforeFloor],
    ] as const)('%s %p is 400: %s', async (field, value, rule) => {
      const body = {
        merchantOrderId: `SO-dates-${Math.random()}`,
        acquirer: 'antom',
        paymentId: `PAY-dates-${Math.random()}`,
        amount: { currency: 'USD', value: '10000' },
        captureMode: 'MANUAL',
        [field]: typeof value === 'function' ? value() : value,
      };
      const res = await call(t, 'POST', '/orders', body);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field, rule }]);
    });

    it('an authorization a minute ahead of our clock (skew) is accepted', async () => {
      const authorizedAt = new Date(Date.now() + 60_000).toISOString();
      const order = await registerOrder(t, { authorizedAt });
      expect(order.authorizedAt).toBe(authorizedAt);
    });
  });
});
