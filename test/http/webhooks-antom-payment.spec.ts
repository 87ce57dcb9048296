/**
 * POST /webhooks/antom, notifyPayment (PAYMENT_RESULT): the authorization result carries no
 * capture mode, so it never creates an order; it confirms a registered one (authorization time,
 * hence the deadline; a missing paymentId) or flags it, and waits as an orphan otherwise.
 */
import { OrderEntity } from '../../src/capture/persistence/entities';
import {
  startTestApp,
  type TestApp,
  describeEachDatabaseAndAdapter,
  orderRow,
  registerOrder,
  history,
} from '../support/http-app';
import { DELETE, edited } from '../support/body-edit';
import {
  ANTOM_SUCCESS_ACK,
  antomCaptureBody,
  generateWebhookKeys,
  notifications,
  postAntom,
  uniqueId,
  webhookEnv,
} from '../support/webhooks';

const keys = generateWebhookKeys();

function paymentResultBody(fields: {
  paymentId: string;
  paymentRequestId: string;
  status?: 'S' | 'F' | 'U';
  value?: string;
  paymentTime?: string;
}): string {
  const status = fields.status ?? 'S';
  return JSON.stringify({
    notifyType: 'PAYMENT_RESULT',
    result: {
      resultCode: status === 'F' ? 'RISK_REJECT' : 'SUCCESS',
      resultStatus: status,
      resultMessage: 'result.',
    },
    paymentRequestId: fields.paymentRequestId,
    paymentId: fields.paymentId,
    paymentAmount: { currency: 'USD', value: fields.value ?? '10000' },
    paymentCreateTime: '2025-03-16T19:27:00-07:00',
    paymentTime: fields.paymentTime ?? '2025-03-16T19:27:19-07:00',
    paymentMethodType: 'CARD',
  });
}

describeEachDatabaseAndAdapter('Antom notifyPayment (PAYMENT_RESULT)', (kind, adapter) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, webhookEnv(keys), undefined, adapter);
  });
  afterAll(() => t.close());

  it('confirms the authorization time of a registered order: new deadline, no state change', async () => {
    const o = await registerOrder(t, { paymentId: uniqueId('PAY'), paymentRequestId: uniqueId('PR') });
    const body = paymentResultBody({ paymentId: o.paymentId!, paymentRequestId: o.paymentRequestId! });
    expect(await postAntom(t, body, keys)).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    expect(await postAntom(t, body, keys)).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    const stored = await orderRow(t, o.id);
    expect(stored.state).toBe('authorized');
    expect(stored.authorizedAt.toISOString()).toBe('2025-03-17T02:27:19.000Z');
    expect(stored.captureDeadline.toISOString()).toBe('2025-03-24T02:27:19.000Z');
    expect(stored.snapshot.context.captureDeadline).toBe('2025-03-24T02:27:19.000Z');
    expect(await history(t, o.id)).toEqual(['AUTHORIZATION_CONFIRMED:authorized->authorized']);
    const rows = await notifications(t, 'antom', o.paymentId!);
    expect(rows.map((r) => [r.notifyType, r.outcome, r.orderId])).toEqual([
      ['PAYMENT_RESULT', 'applied', o.id],
    ]);
  });

  it('a failed authorization flags the registered order for review', async () => {
    const o = await registerOrder(t, { paymentId: uniqueId('PAY'), paymentRequestId: uniqueId('PR') });
    const body = paymentResultBody({
      paymentId: o.paymentId!,
      paymentRequestId: o.paymentRequestId!,
      status: 'F',
    });
    expect(await postAntom(t, body, keys)).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    const stored = await orderRow(t, o.id);
    expect(stored.state).toBe('authorized');
    expect(stored.reviewReason).toContain('authorization failed (RISK_REJECT');
    expect((await notifications(t, 'antom', o.paymentId!))[0]!.outcome).toBe('review');
  });

  it('an authorized amount different from the order flags it for review', async () => {
    const o = await registerOrder(t, { paymentId: uniqueId('PAY'), paymentRequestId: uniqueId('PR') });
    const body = paymentResultBody({
      paymentId: o.paymentId!,
      paymentRequestId: o.paymentRequestId!,
      value: '12000',
    });
    expect((await postAntom(t, body, keys)).status).toBe(200);
    expect((await orderRow(t, o.id)).reviewReason).toContain(
      'authorized USD 12000 where the order has USD 10000',
    );
  });

  it('matched by paymentRequestId with another paymentId: flagged, the paymentId kept', async () => {
    const o = await registerOrder(t, { paymentId: uniqueId('PAY'), paymentRequestId: uniqueId('PR') });
    const other = uniqueId('PAY');
    const body = paymentResultBody({ paymentId: other, paymentRequestId: o.paymentRequestId! });
    expect((await postAntom(t, body, keys)).status).toBe(200);
    const stored = await orderRow(t, o.id);
    expect(stored.paymentId).toBe(o.paymentId);
    expect(stored.reviewReason).toContain(`authorization result for paymentId ${other}`);
  });

  it('an authorization still in process (U) is stored and acknowledged, not applied', async () => {
    const o = await registerOrder(t, { paymentId: uniqueId('PAY'), paymentRequestId: uniqueId('PR') });
    const body = paymentResultBody({
      paymentId: o.paymentId!,
      paymentRequestId: o.paymentRequestId!,
      status: 'U',
    });
    expect(await postAntom(t, body, keys)).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    expect(await history(t, o.id)).toEqual([]);
    expect((await notifications(t, 'antom', o.paymentId!))[0]).toMatchObject({
      outcome: 'ignored',
      orderId: o.id,
    });
  });

  it('fills in a missing paymentId, and the capture results waiting for it are then applied', async () => {
    // Registration requires a paymentId today; the column is nullable for orders known only by
    // their paymentRequestId (a host app's own registration path), which this covers.
    const o = await registerOrder(t, {
      paymentId: uniqueId('PAY'),
      paymentRequestId: uniqueId('PR'),
      captureMode: 'AUTOMATIC',
    });
    await t.dataSource.getRepository(OrderEntity).update({ id: o.id }, { paymentId: null });
    const paymentId = uniqueId('PAY');
    const capture = antomCaptureBody({ paymentId, captureRequestId: uniqueId('CR') });
    expect((await postAntom(t, capture, keys)).status).toBe(200);
    expect((await notifications(t, 'antom', paymentId))[0]!.outcome).toBe('orphan');

    const result = paymentResultBody({ paymentId, paymentRequestId: o.paymentRequestId! });
    expect(await postAntom(t, result, keys)).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    expect(await orderRow(t, o.id)).toMatchObject({ paymentId, state: 'captured', capturedAmount: '10000' });
    expect(await history(t, o.id)).toEqual([
      'AUTHORIZATION_CONFIRMED:authorized->authorized',
      'CAPTURE_SUCCEEDED:authorized->captured',
    ]);
    const rows = await notifications(t, 'antom', paymentId);
    expect(rows.map((r) => [r.notifyType, r.outcome, r.orderId])).toEqual([
      ['CAPTURE_RESULT', 'applied', o.id],
      ['PAYMENT_RESULT', 'applied', o.id],
    ]);
  });

  it('for an unknown payment it waits as an orphan and confirms the order once registered', async () => {
    const paymentId = uniqueId('PAY');
    const paymentRequestId = uniqueId('PR');
    expect((await postAntom(t, paymentResultBody({ paymentId, paymentRequestId }), keys)).status).toBe(200);
    expect((await notifications(t, 'antom', paymentId))[0]!.outcome).toBe('orphan');
    const o = await registerOrder(t, { paymentId, paymentRequestId });
    expect((await orderRow(t, o.id)).authorizedAt.toISOString()).toBe('2025-03-17T02:27:19.000Z');
    expect((await notifications(t, 'antom', paymentId))[0]).toMatchObject({
      outcome: 'applied',
      orderId: o.id,
    });
  });

  it('a PAYMENT_RESULT breaking a rule is 400 naming it', async () => {
    const body = JSON.stringify(
      edited(
        paymentResultBody({ paymentId: uniqueId('PAY'), paymentRequestId: 'x' }),
        ['paymentRequestId', DELETE],
        ['result.resultStatus', 'P'],
      ),
    );
    const res = await postAntom(t, body, keys);
    expect(res.status).toBe(400);
    expect((res.body as { details: unknown[] }).details).toEqual(
      expect.arrayContaining([
        { field: 'paymentRequestId', rule: 'is required' },
        { field: 'result.resultStatus', rule: 'must be S, F or U' },
      ]),
    );
  });
});
