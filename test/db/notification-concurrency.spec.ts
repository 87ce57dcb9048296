/**
 * Deliveries racing on PostgreSQL, through two service instances sharing one database (as two
 * pods behind a load balancer would): the unique dedupe key and the order's row lock must let
 * exactly one delivery apply, and every delivery must still be acknowledged with success.
 */
import { OrdersService } from '../../src/capture/orders.service';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { startTestApp, type TestApp, orderRow, registerOrder, history } from '../support/http-app';
import { registration } from '../support/capture-testing';
import {
  ANTOM_SUCCESS_ACK,
  antomCaptureBody,
  generateWebhookKeys,
  notifications,
  PAYERMAX_SUCCESS_ACK,
  payermaxCaptureBody,
  pendingAttempt,
  postAntom,
  postPayermax,
  uniqueId,
  webhookEnv,
} from '../support/webhooks';

const keys = generateWebhookKeys();
const DELIVERIES = 20;

describe('notifications delivered concurrently [postgres]', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    a = await startTestApp('postgres', webhookEnv(keys), db);
    b = await startTestApp('postgres', webhookEnv(keys), db);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
    await db.drop();
  });

  const instance = (i: number) => (i % 2 === 0 ? a : b);

  it(`the same Antom notification ${DELIVERIES} times at once: one transition, ${DELIVERIES} success acks`, async () => {
    const o = await registerOrder(a, { paymentId: uniqueId('PAY') });
    const captureRequestId = uniqueId('CR');
    await pendingAttempt(a, o.id, captureRequestId, '10000');
    const body = antomCaptureBody({ paymentId: o.paymentId!, captureRequestId });
    const answers = await Promise.all(
      Array.from({ length: DELIVERIES }, (_, i) => postAntom(instance(i), body, keys)),
    );
    expect(answers.map((x) => x.status)).toEqual(Array(DELIVERIES).fill(200));
    for (const x of answers) expect(x.body).toEqual(ANTOM_SUCCESS_ACK);
    expect(await history(a, o.id)).toEqual([
      'CAPTURE_REQUESTED:authorized->capturePending',
      'CAPTURE_SUCCEEDED:capturePending->captured',
    ]);
    expect(await orderRow(a, o.id)).toMatchObject({ state: 'captured', capturedAmount: '10000', version: 3 });
    expect((await notifications(a, 'antom', o.paymentId!)).map((n) => n.outcome)).toEqual(['applied']);
  });

  it(`the same PayerMax notification ${DELIVERIES} times at once: one transition, ${DELIVERIES} success acks`, async () => {
    const o = await registerOrder(a, { acquirer: 'payermax', paymentId: uniqueId('OT').slice(0, 32) });
    const requestId = uniqueId('RQ');
    await pendingAttempt(a, o.id, requestId, '10000');
    const body = payermaxCaptureBody({
      outTradeNo: o.paymentId!,
      requestId,
      amount: '100.00',
      currency: 'USD',
    });
    const answers = await Promise.all(
      Array.from({ length: DELIVERIES }, (_, i) => postPayermax(instance(i), body, keys)),
    );
    expect(answers.map((x) => x.status)).toEqual(Array(DELIVERIES).fill(200));
    for (const x of answers) expect(x.body).toEqual(PAYERMAX_SUCCESS_ACK);
    expect(await history(a, o.id)).toHaveLength(2);
    expect(await orderRow(a, o.id)).toMatchObject({ state: 'captured', capturedAmount: '10000' });
    expect(await notifications(a, 'payermax', o.paymentId!)).toHaveLength(1);
  });

  it('an orphan racing its own registration is applied exactly once, whichever commits first', async () => {
    for (let round = 0; round < 5; round++) {
      const paymentId = uniqueId('PAY');
      const body = antomCaptureBody({ paymentId, captureRequestId: uniqueId('CR') });
      const input = registration({ paymentId, captureMode: 'AUTOMATIC' });
      const [registered, ...answers] = await Promise.all([
        b.app.get(OrdersService).register(input),
        ...Array.from({ length: 6 }, (_, i) => postAntom(instance(i), body, keys)),
      ]);
      if (registered.kind !== 'created') throw new Error(registered.kind);
      for (const x of answers) expect(x).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
      expect(await history(a, registered.order.id)).toEqual(['CAPTURE_SUCCEEDED:authorized->captured']);
      const rows = await notifications(a, 'antom', paymentId);
      expect(rows.map((n) => [n.outcome, n.orderId])).toEqual([['applied', registered.order.id]]);
    }
  });
});
