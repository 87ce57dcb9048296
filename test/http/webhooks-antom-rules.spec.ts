/**
 * POST /webhooks/antom: every field rule of the seeds through HTTP (a verified notification that
 * breaks one is stored as rejected and answered 400 naming the field and the rule), notifyPayment
 * (PAYMENT_RESULT), and the notify types that are stored and acknowledged but not applied.
 */
import {
  startTestApp,
  type TestApp,
  describeEachDatabaseAndAdapter,
  orderRow,
  registerOrder,
  history,
} from '../support/http-app';
import { chars, DELETE, edited, type Edit } from '../support/body-edit';
import { cases } from '../support/webhooks-rules';
import {
  ANTOM_SUCCESS_ACK,
  antomCaptureBody,
  generateWebhookKeys,
  notifications,
  postAntom,
  storedWhere,
  uniqueId,
  webhookEnv,
} from '../support/webhooks';

const keys = generateWebhookKeys();
const MINOR = 'must be a positive integer string in minor units';
const CURRENCY = 'must be a 3-letter ISO 4217 currency code';

/** [edit, field, rule]: one row per rule of seed 000 (and the PAYMENT_RESULT fields). */
const CAPTURE_RULES: [Edit, string, string][] = [
  [['notifyType', DELETE], 'notifyType', 'is required'],
  [['notifyType', 7], 'notifyType', 'must be a string'],
  [['result', DELETE], 'result', 'is required'],
  [['result', 'S'], 'result', 'must be an object'],
  [['result.resultCode', DELETE], 'result.resultCode', 'is required'],
  [['result.resultCode', ''], 'result.resultCode', 'must not be empty'],
  [['result.resultCode', chars(65)], 'result.resultCode', 'must be at most 64 characters'],
  [['result.resultStatus', DELETE], 'result.resultStatus', 'is required'],
  [['result.resultStatus', 'U'], 'result.resultStatus', 'must be S or F'],
  [['result.resultMessage', chars(257)], 'result.resultMessage', 'must be at most 256 characters'],
  [['captureRequestId', DELETE], 'captureRequestId', 'is required'],
  [['captureRequestId', chars(65)], 'captureRequestId', 'must be at most 64 characters'],
  [['captureRequestId', 42], 'captureRequestId', 'must be a string'],
  [['paymentId', DELETE], 'paymentId', 'is required'],
  [['paymentId', chars(65)], 'paymentId', 'must be at most 64 characters'],
  [['captureId', DELETE], 'captureId', 'is required'],
  [['captureId', chars(65)], 'captureId', 'must be at most 64 characters'],
  [['captureAmount', DELETE], 'captureAmount', 'is required'],
  [['captureAmount', ['USD', '10000']], 'captureAmount', 'must be an object'],
  [['captureAmount.currency', DELETE], 'captureAmount.currency', 'is required'],
  [['captureAmount.currency', 'usd'], 'captureAmount.currency', CURRENCY],
  [['captureAmount.currency', 'USDX'], 'captureAmount.currency', CURRENCY],
  [['captureAmount.value', DELETE], 'captureAmount.value', 'is required'],
  [['captureAmount.value', 10000], 'captureAmount.value', 'must be a string'],
  [['captureAmount.value', '0'], 'captureAmount.value', MINOR],
  [['captureAmount.value', '-1'], 'captureAmount.value', MINOR],
  [['captureAmount.value', '100.50'], 'captureAmount.value', MINOR],
  [['captureTime', 20221110], 'captureTime', 'must be a string'],
  [['acquirerInfo', 'CHECKOUT'], 'acquirerInfo', 'must be an object'],
  [['acquirerInfo.acquirerName', chars(65)], 'acquirerInfo.acquirerName', 'must be at most 64 characters'],
  [
    ['acquirerInfo.acquirerResultMessage', chars(65)],
    'acquirerInfo.acquirerResultMessage',
    'must be at most 64 characters',
  ],
];

describeEachDatabaseAndAdapter('Antom notifications: field rules and notify types', (kind, adapter) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, webhookEnv(keys), undefined, adapter);
  });
  afterAll(() => t.close());

  it.each(cases(CAPTURE_RULES))(
    'CAPTURE_RESULT with $field = $shown: 400 "$field $rule"',
    async ({ edit, field, rule }) => {
      const o = await registerOrder(t, { paymentId: uniqueId('PAY'), captureMode: 'AUTOMATIC' });
      const captureRequestId = uniqueId('CR');
      const body = JSON.stringify(
        edited(antomCaptureBody({ paymentId: o.paymentId!, captureRequestId }), edit),
      );
      const res = await postAntom(t, body, keys);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        result: {
          resultCode: 'PARAM_ILLEGAL',
          resultStatus: 'F',
          resultMessage: expect.stringContaining(`${field} ${rule}`),
        },
        details: expect.arrayContaining([{ field, rule }]),
      });
      // Stored with whichever id survived the edit.
      const rows = await storedWhere(
        t,
        field === 'paymentId' ? { captureRequestId } : { paymentId: o.paymentId! },
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        acquirer: 'antom',
        outcome: 'rejected',
        dedupeKey: null,
        rawBody: body,
      });
      expect(rows[0]!.detail).toContain(`${field} ${rule}`);
      expect(await orderRow(t, o.id)).toMatchObject({ state: 'authorized' });
      expect(await history(t, o.id)).toEqual([]);
    },
  );

  it('a body that is JSON but not an object is 400 naming the body', async () => {
    const res = await postAntom(t, '["CAPTURE_RESULT"]', keys);
    expect(res).toMatchObject({
      status: 400,
      body: { details: [{ field: 'body', rule: 'must be a JSON object' }] },
    });
  });

  it('every broken field is named in one answer', async () => {
    const body = JSON.stringify({ notifyType: 'CAPTURE_RESULT', result: { resultStatus: 'X' } });
    const res = await postAntom(t, body, keys);
    const fields = (res.body as { details: { field: string }[] }).details.map((d) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'result.resultCode',
        'result.resultStatus',
        'captureRequestId',
        'paymentId',
        'captureId',
        'captureAmount',
      ]),
    );
  });

  it('other notify types are verified, stored and acknowledged, and never applied', async () => {
    const o = await registerOrder(t, { paymentId: uniqueId('PAY'), captureMode: 'AUTOMATIC' });
    const body = JSON.stringify({
      notifyType: 'REFUND_RESULT',
      paymentId: o.paymentId,
      refundRequestId: uniqueId('RF'),
    });
    expect(await postAntom(t, body, keys)).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    expect(await postAntom(t, body, keys)).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
    const rows = await notifications(t, 'antom', o.paymentId!);
    expect(rows.map((r) => [r.notifyType, r.outcome, r.orderId])).toEqual([
      ['REFUND_RESULT', 'ignored', null],
    ]);
    expect(rows[0]!.detail).toContain('not applied');
    expect(await history(t, o.id)).toEqual([]);
  });
});
