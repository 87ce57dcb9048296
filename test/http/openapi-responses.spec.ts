/**
 * The OpenAPI document at /docs-json against what the routes really answer: an order before and
 * after capture, its shipment, and the webhooks' acknowledgements (success and failure), each
 * checked against the schema documented for that route and status.
 */
import { opsAuth } from './metrics-scrape';
import { describeEachDatabase } from '../support/databases';
import { startTestApp, type TestApp } from '../support/http-app';
import { responseSchema, schemaErrors, type OpenApiDocument } from '../support/openapi-check';
import {
  antomCaptureBody,
  generateWebhookKeys,
  postAntom,
  postPayermax,
  payermaxCaptureBody,
  uniqueId,
  webhookEnv,
} from '../support/webhooks';

const keys = generateWebhookKeys();

describeEachDatabase('OpenAPI document: real responses validate', (kind) => {
  let t: TestApp;
  let doc: OpenApiDocument;
  let auth: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp(kind, webhookEnv(keys));
    doc = (await (await t.http('/docs-json', { headers: opsAuth(t) })).json()) as OpenApiDocument;
    auth = { authorization: `Bearer ${t.config.capture.adminToken}`, 'content-type': 'application/json' };
  });
  afterAll(() => t.close());

  async function checked(path: string, method: string, res: { status: number; body: unknown }) {
    expect(schemaErrors(doc, responseSchema(doc, path, method, res.status), res.body)).toEqual([]);
  }
  const get = async (path: string) => {
    const res = await t.http(path, { headers: auth });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('an order before capture ("0" captured), after capture, and its shipment', async () => {
    const paymentId = uniqueId('PAY');
    const registration = {
      merchantOrderId: uniqueId('SO'),
      acquirer: 'antom',
      paymentId,
      amount: { currency: 'USD', value: '10000' },
      captureMode: 'AUTOMATIC',
    };
    const created = await t.http('/orders', {
      method: 'POST',
      headers: auth,
      body: JSON.stringify(registration),
    });
    const order = { status: created.status, body: (await created.json()) as { id: string } };
    expect(order.status).toBe(201);
    await checked('/orders', 'post', order);
    const before = await get(`/orders/${order.body.id}`);
    expect(before.body.capturedAmount).toEqual({ currency: 'USD', value: '0' });
    await checked('/orders/{id}', 'get', before);
    await checked('/orders/{id}/shipment', 'get', await get(`/orders/${order.body.id}/shipment`));

    const ack = await postAntom(t, antomCaptureBody({ paymentId, captureRequestId: uniqueId('CR') }), keys);
    expect(ack.status).toBe(200);
    await checked('/webhooks/antom', 'post', ack);
    const after = await get(`/orders/${order.body.id}`);
    expect(after.body).toMatchObject({ state: 'captured', capturedAmount: { value: '10000' } });
    await checked('/orders/{id}', 'get', after);
    await checked('/orders/{id}/shipment', 'get', await get(`/orders/${order.body.id}/shipment`));
    await checked('/admin/orders/{id}', 'get', await get(`/admin/orders/${order.body.id}`));
  });

  it('the webhooks answer 200 as documented, and their failures too', async () => {
    const body = antomCaptureBody({ paymentId: uniqueId('PAY'), captureRequestId: uniqueId('CR') });
    const forged = await postAntom(t, body, keys, { path: '/elsewhere' });
    expect(forged.status).toBe(401);
    await checked('/webhooks/antom', 'post', forged);
    const invalid = await postAntom(t, '{"notifyType":"CAPTURE_RESULT"}', keys);
    expect(invalid.status).toBe(400);
    await checked('/webhooks/antom', 'post', invalid);
    const orphan = payermaxCaptureBody({ outTradeNo: uniqueId('PAY'), requestId: uniqueId('CR') });
    const payermax = await postPayermax(t, orphan, keys);
    expect(payermax.status).toBe(200);
    await checked('/webhooks/payermax/capture', 'post', payermax);
    const operations = ['/webhooks/antom', '/webhooks/payermax/capture'].map((p) => doc.paths[p]!.post);
    for (const op of operations)
      expect(Object.keys(op!.responses).sort()).toEqual(['200', '400', '401', '413', '415', '503']);
  });

  it('describes the bearer token as what it is, not a JWT', () => {
    const schemes = Object.values(doc.components.securitySchemes ?? {});
    expect(schemes).toEqual([{ type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' }]);
  });
});
