import { createSandbox, SANDBOX_DEFAULTS, type Sandbox } from '../../src/sandbox/sandbox';
import { registration } from '../support/capture-testing';
import { describeEachDatabase } from '../support/databases';
import type { TestApp } from '../support/http-app';
import { eventually, startApiApp } from './orders-api.support';
import { call, detail, registerOrder, type OrderBody } from '../support/http-app';

/** The service talking to a real (loopback) simulated Antom and PayerMax, signed both ways. */
function sandboxEnv(sandbox: Sandbox): Record<string, string> {
  const merchant = sandbox.keys.merchant!;
  const privatePem = merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = sandbox.keys.sandboxPublicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    ANTOM_BASE_URL: sandbox.url,
    ANTOM_CLIENT_ID: sandbox.keys.antomClientId,
    ANTOM_MERCHANT_PRIVATE_KEY: privatePem,
    ANTOM_PUBLIC_KEY: publicPem,
    PAYERMAX_BASE_URL: sandbox.url,
    PAYERMAX_APP_ID: sandbox.keys.payermaxAppId,
    PAYERMAX_MERCHANT_NO: sandbox.keys.payermaxMerchantNo,
    PAYERMAX_MERCHANT_PRIVATE_KEY: privatePem,
    PAYERMAX_PUBLIC_KEY: publicPem,
  };
}

interface Reconciled {
  outcome: string;
  captures: { captureRequestId: string; status: string; result: string }[];
  pending: number;
  order: OrderBody;
}

describeEachDatabase('POST /admin/orders/:id/reconcile', (kind) => {
  let sandbox: Sandbox;
  let t: TestApp;
  beforeAll(async () => {
    sandbox = await createSandbox({
      antom: { clientId: SANDBOX_DEFAULTS.antomClientId },
      payermax: { appId: SANDBOX_DEFAULTS.payermaxAppId, merchantNo: SANDBOX_DEFAULTS.payermaxMerchantNo },
    });
    t = await startApiApp(kind, sandboxEnv(sandbox));
  });
  afterAll(async () => {
    await t.close();
    await sandbox.close();
  });

  it('applies what the acquirer reports, recorded with the admin as source', async () => {
    const input = registration({ captureMode: 'MANUAL' });
    // The capture stays in process until resolved below, and its notification is lost.
    sandbox.payment({
      paymentId: input.paymentId,
      amount: input.amount,
      outcomes: [{ status: 'U', resolveAfterMs: 'manual', notify: { lost: true } }],
    });
    const order = await registerOrder(t, input);
    const accepted = await call(t, 'POST', `/admin/orders/${order.id}/capture`);
    expect(accepted.status).toBe(202);
    const captureRequestId = String(accepted.body.captureRequestId);
    await eventually(async () => {
      const d = await detail(t, order.id);
      return d.transitions.some((tr) => tr.event === 'CAPTURE_PENDING') ? true : undefined;
    });
    sandbox.resolve(captureRequestId, { status: 'S' });

    const res = await call<Reconciled>(t, 'POST', `/admin/orders/${order.id}/reconcile`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      outcome: 'inquired',
      captures: [{ captureRequestId, status: 'S', result: 'applied' }],
      pending: 0,
      order: { id: order.id, state: 'captured', capturedAmount: { currency: 'USD', value: '10000' } },
    });
    expect((await detail(t, order.id)).transitions.at(-1)).toMatchObject({
      from: 'capturePending',
      to: 'captured',
      event: 'CAPTURE_SUCCEEDED',
      source: 'admin',
    });
    expect(sandbox.counts(input.paymentId).byPaymentId[input.paymentId]).toMatchObject({
      captures: 1,
      succeeded: 1,
    });
  });

  it('an order with nothing to learn stays as it is', async () => {
    const input = registration({ captureMode: 'MANUAL' });
    sandbox.payment({ paymentId: input.paymentId, amount: input.amount });
    const order = await registerOrder(t, input);
    const res = await call<Reconciled>(t, 'POST', `/admin/orders/${order.id}/reconcile`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'inquired', captures: [], order: { state: 'authorized' } });
    expect((await detail(t, order.id)).transitions).toEqual([]);
  });

  it('PayerMax documents no capture query: unsupported, nothing applied', async () => {
    const order = await registerOrder(t, { acquirer: 'payermax' });
    const res = await call<Reconciled>(t, 'POST', `/admin/orders/${order.id}/reconcile`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'unsupported', order: { state: 'authorized' } });
  });

  it('404 for an unknown order', async () => {
    const res = await call(t, 'POST', '/admin/orders/00000000-0000-0000-0000-000000000000/reconcile');
    expect(res.status).toBe(404);
  });
});
