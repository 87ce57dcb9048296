import { registration } from '../support/capture-testing';
import { describeEachDatabase } from '../support/databases';
import type { TestApp } from '../support/http-app';
import { startApiApp } from './orders-api.support';
import { call, registerOrder, TOKEN, type OrderBody } from '../support/http-app';

const ORDER_KEYS = [
  'id',
  'merchantOrderId',
  'acquirer',
  'paymentId',
  'paymentRequestId',
  'state',
  'captureMode',
  'amount',
  'capturedAmount',
  'authorizedAt',
  'captureDeadline',
  'captureAt',
  'review',
  'createdAt',
  'updatedAt',
].sort();

describeEachDatabase('merchant routes /orders', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApiApp(kind);
  });
  afterAll(() => t.close());

  describe('bearer token', () => {
    let id: string;
    beforeAll(async () => {
      id = (await registerOrder(t)).id;
    });

    const routes = (): [string, string, unknown?][] => [
      ['POST', '/orders', registration()],
      ['GET', `/orders/${id}`],
      ['GET', `/orders?merchantOrderId=x`],
      ['GET', `/orders/${id}/shipment`],
    ];

    it('refuses every route without a token (401, error shape)', async () => {
      for (const [method, path, body] of routes()) {
        const res = await call(t, method, path, body, null);
        expect([method, path, res.status]).toEqual([method, path, 401]);
        expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
      }
    });

    it('refuses every route with a wrong token, even one that differs only at the end or in length', async () => {
      for (const wrong of [`${TOKEN.slice(0, -1)}x`, `${TOKEN}x`, 'short']) {
        for (const [method, path, body] of routes()) {
          const res = await call(t, method, path, body, wrong);
          expect([method, path, res.status]).toEqual([method, path, 401]);
          expect(res.body).toMatchObject({ statusCode: 401, message: 'invalid bearer token' });
        }
      }
    });

    it('accepts every route with the right token', async () => {
      for (const [method, path, body] of routes()) {
        const res = await call(t, method, path, body);
        expect([method, path, res.status < 400 || res.status === 404]).toEqual([method, path, true]);
      }
    });

    it('refuses a scheme other than Bearer', async () => {
      const res = await t.http(`/orders/${id}`, { headers: { authorization: `Basic ${TOKEN}` } });
      expect(res.status).toBe(401);
    });
  });

  describe('POST /orders', () => {
    it('registers: 201 with the order in the contract shape', async () => {
      const input = registration({
        paymentRequestId: 'REQ-1',
        authorizedAt: '2026-01-01T10:00:00.000Z',
        captureAt: '2026-01-02T10:00:00Z',
        amount: { currency: 'JPY', value: '1500' },
      });
      const res = await call<OrderBody>(t, 'POST', '/orders', input);
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(ORDER_KEYS);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        merchantOrderId: input.merchantOrderId,
        acquirer: 'antom',
        paymentId: input.paymentId,
        paymentRequestId: 'REQ-1',
        state: 'authorized',
        captureMode: 'MANUAL',
        amount: { currency: 'JPY', value: '1500' },
        capturedAmount: { currency: 'JPY', value: '0' },
        authorizedAt: '2026-01-01T10:00:00.000Z',
        captureDeadline: '2026-01-08T10:00:00.000Z',
        captureAt: '2026-01-02T10:00:00.000Z',
        review: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
    });

    it('the same registration again is 200 with the same order; omitted fields do not count', async () => {
      const input = registration({ authorizedAt: '2026-02-01T00:00:00Z', fullCaptureOnly: true });
      const first = await call<OrderBody>(t, 'POST', '/orders', input);
      const again = await call<OrderBody>(t, 'POST', '/orders', input);
      const { authorizedAt: _a, fullCaptureOnly: _f, ...sparse } = input;
      const sparseAgain = await call<OrderBody>(t, 'POST', '/orders', sparse);
      expect([first.status, again.status, sparseAgain.status]).toEqual([201, 200, 200]);
      expect(again.body).toEqual(first.body);
      expect(sparseAgain.body.id).toBe(first.body.id);
    });

    it('a different registration for the same payment is 409 naming the fields that differ', async () => {
      const input = registration();
      await call(t, 'POST', '/orders', input);
      const res = await call(t, 'POST', '/orders', {
        ...input,
        amount: { currency: 'USD', value: '999' },
        captureMode: 'AUTOMATIC',
      });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({
        statusCode: 409,
        error: 'Conflict',
        message: expect.stringContaining(input.paymentId),
        details: [
          { field: 'amount.value', rule: 'differs from the registered order' },
          { field: 'captureMode', rule: 'differs from the registered order' },
        ],
      });
    });

    it('an empty body names every required field', async () => {
      const res = await call(t, 'POST', '/orders', {});
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      const fields = (res.body.details as { field: string; rule: string }[]).map((d) => d.field).sort();
      expect(fields).toEqual(['acquirer', 'amount', 'captureMode', 'merchantOrderId', 'paymentId']);
      expect(res.body.details).toContainEqual({ field: 'paymentId', rule: 'is required' });
    });

    it('names every offending field with its rule, nested ones by path', async () => {
      const res = await call(t, 'POST', '/orders', {
        merchantOrderId: 'has space',
        acquirer: 'stripe',
        paymentId: 'P'.repeat(65),
        amount: { currency: 'usd', value: '10.50' },
        captureMode: 'LATER',
        authorizedAt: 'yesterday',
        captureAt: '2030-01-01T10:00:00',
        multiCapture: 'yes',
        captureAT: '2030-01-01T10:00:00Z',
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/^validation failed: /);
      expect(res.body.details).toEqual(
        expect.arrayContaining([
          { field: 'merchantOrderId', rule: 'must be 1 to 64 printable ASCII characters without spaces' },
          { field: 'acquirer', rule: 'must be antom or payermax' },
          { field: 'paymentId', rule: 'must be 1 to 64 printable ASCII characters without spaces' },
          { field: 'amount.currency', rule: 'must be a 3-letter ISO 4217 code' },
          {
            field: 'amount.value',
            rule: 'must be a positive integer string in minor units (at most 2^63-1)',
          },
          { field: 'captureMode', rule: 'must be AUTOMATIC or MANUAL' },
          { field: 'authorizedAt', rule: expect.stringContaining('ISO 8601') },
          { field: 'captureAt', rule: expect.stringContaining('time zone') },
          { field: 'multiCapture', rule: 'must be true or false' },
          { field: 'captureAT', rule: 'is not a known field' },
        ]),
      );
      expect(res.body.details).toHaveLength(10);
    });

    it('an amount that is not an object, and a number where a digit string belongs, are named', async () => {
      const a = await call(t, 'POST', '/orders', { ...registration(), amount: '100' });
      expect(a.body.details).toEqual([{ field: 'amount', rule: 'must be an object' }]);
      const b = await call(t, 'POST', '/orders', {
        ...registration(),
        amount: { currency: 'USD', value: 100 },
      });
      expect(b.body.details).toEqual([{ field: 'amount.value', rule: expect.stringContaining('string') }]);
    });

    it('rules across fields come from the registration rules (400, named)', async () => {
      const res = await call(t, 'POST', '/orders', {
        ...registration({ acquirer: 'payermax', multiCapture: true }),
        captureMode: 'AUTOMATIC',
        captureAt: '2030-01-01T00:00:00Z',
      });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual(
        expect.arrayContaining([
          { field: 'captureAt', rule: 'only MANUAL orders have a scheduled capture' },
          { field: 'multiCapture', rule: 'PayerMax allows one capture per authorization' },
        ]),
      );
    });

    it('broken JSON is 400 in the error shape, without a stack', async () => {
      const res = await call(t, 'POST', '/orders', '{"merchantOrderId": ');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: expect.stringMatching(/JSON/),
      });
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(js|ts):\d+/);
    });

    it('a body over the limit is 413 in the error shape', async () => {
      const res = await call(t, 'POST', '/orders', { ...registration(), padding: 'x'.repeat(300_000) });
      expect(res.status).toBe(413);
      expect(res.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: expect.any(String) });
    });

    it('a body that is not a JSON object is 400 naming the body', async () => {
      const res = await call(t, 'POST', '/orders', '[1,2]');
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'body', rule: 'must be a JSON object' }]);
    });

    it('a content type other than JSON is 415 in the error shape', async () => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
        const res = await t.http('/orders', {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': type },
          body: type.includes('form') ? 'merchantOrderId=x' : JSON.stringify(registration()),
        });
        const body = await res.json();
        expect([type, res.status]).toEqual([type, 415]);
        expect(body).toEqual({
          statusCode: 415,
          error: 'Unsupported Media Type',
          message: expect.any(String),
        });
      }
    });
  });

  describe('GET /orders/:id and lookups', () => {
    it('finds an order by id, by merchantOrderId, by paymentId and by both', async () => {
      const input = registration({ acquirer: 'payermax' });
      const created = await registerOrder(t, input);
      const byId = await call(t, 'GET', `/orders/${created.id}`);
      expect(byId.status).toBe(200);
      expect(byId.body).toEqual(created);
      const queries = [
        `merchantOrderId=${input.merchantOrderId}`,
        `paymentId=${input.paymentId}`,
        `merchantOrderId=${input.merchantOrderId}&paymentId=${input.paymentId}&acquirer=payermax`,
      ];
      for (const q of queries) {
        const res = await call(t, 'GET', `/orders?${q}`);
        expect([q, res.status, res.body.id]).toEqual([q, 200, created.id]);
      }
    });

    it('a merchantOrderId with two payments answers the most recent one', async () => {
      const first = await registerOrder(t);
      const second = await registerOrder(t, { merchantOrderId: String(first.merchantOrderId) });
      const res = await call(t, 'GET', `/orders?merchantOrderId=${first.merchantOrderId}`);
      expect(res.body.id).toBe(second.id);
    });

    it('404 for an unknown id or an unmatched lookup; 400 for a lookup without keys', async () => {
      const unknown = await call(t, 'GET', '/orders/00000000-0000-0000-0000-000000000000');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
      expect((await call(t, 'GET', '/orders?paymentId=nobody')).status).toBe(404);
      const none = await call(t, 'GET', '/orders');
      expect(none.status).toBe(400);
      expect(none.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'merchantOrderId' })]),
      );
      const bad = await call(t, 'GET', '/orders?acquirer=visa&paymentId=x');
      expect(bad.body.details).toEqual([{ field: 'acquirer', rule: 'must be antom or payermax' }]);
    });

    it('an unknown route answers 404 in the error shape', async () => {
      const res = await call(t, 'GET', '/nowhere');
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
    });
  });
});
