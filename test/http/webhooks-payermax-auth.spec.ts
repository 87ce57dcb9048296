/**
 * POST /webhooks/payermax/capture: the merchant identity and the plain base64 `sign`, every field
 * rule of seed 004 through HTTP, and the isFinal spellings, each answered with PayerMax's
 * `{code, msg}`. What both acquirers share is webhooks-authenticity.spec.ts.
 */
import { signPayermaxNotification } from '../fixtures/seed-bodies';
import { PAYERMAX } from '../support/acquirer-drivers';
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
  generateWebhookKeys,
  notificationCount,
  PAYERMAX_SUCCESS_ACK,
  payermaxCaptureBody,
  postPayermax,
  storedWhere,
  uniqueId,
  webhookEnv,
} from '../support/webhooks';
import { refusedForSignature } from './metrics-scrape';

const keys = generateWebhookKeys();
const failure = PAYERMAX.failureAck;

const RULES: [Edit, string, string][] = [
  [['code', chars(33)], 'code', 'must be at most 32 characters'],
  [['msg', chars(257)], 'msg', 'must be at most 256 characters'],
  [['keyVersion', DELETE], 'keyVersion', 'is required'],
  [['appId', DELETE], 'appId', 'is required'],
  [['merchantNo', 7], 'merchantNo', 'must be a string'],
  [['notifyTime', DELETE], 'notifyTime', 'is required'],
  [
    ['notifyTime', '23/07/2023 00:00:01'],
    'notifyTime',
    'must be an RFC 3339 date-time (e.g. 2023-07-23T00:00:01.000+00:00)',
  ],
  [['notifyTime', '2023-07-23T00:00:01.123456789+08:00'], 'notifyTime', 'must be at most 32 characters'],
  [['notifyType', DELETE], 'notifyType', 'is required'],
  [['notifyType', 'PAYMENT'], 'notifyType', 'must be CAPTURE'],
  [['data', DELETE], 'data', 'is required'],
  [['data', []], 'data', 'must be an object'],
  [['data.captureNo', DELETE], 'data.captureNo', 'is required'],
  [['data.captureNo', chars(65)], 'data.captureNo', 'must be at most 64 characters'],
  [['data.requestId', DELETE], 'data.requestId', 'is required'],
  [['data.requestId', chars(65)], 'data.requestId', 'must be at most 64 characters'],
  [['data.outTradeNo', DELETE], 'data.outTradeNo', 'is required'],
  [['data.outTradeNo', chars(33)], 'data.outTradeNo', 'must be at most 32 characters'],
  [['data.amount', 100], 'data.amount', 'must be a string'],
  [
    ['data.amount', '100.001'],
    'data.amount',
    'must be a positive decimal amount in major units with at most 2 decimals for USD',
  ],
  [['data.currency', DELETE], 'data.currency', 'is required when data.amount is present'],
  [['data.currency', 'usd'], 'data.currency', 'must be a 3-letter ISO 4217 currency code'],
  [['data.status', DELETE], 'data.status', 'is required'],
  [['data.status', 'CLOSED'], 'data.status', 'must be SUCCESS, FAILED or PENDING'],
  [['data.isFinal', DELETE], 'data.isFinal', 'is required'],
  [['data.isFinal', 'yes'], 'data.isFinal', 'must be True or False (a string or a boolean)'],
  [['data.createdTime', DELETE], 'data.createdTime', 'is required'],
  [['data.succeededTime', 1691365859], 'data.succeededTime', 'must be a string'],
  [['data.errorCode', 500], 'data.errorCode', 'must be a string'],
];

describeEachDatabaseAndAdapter(
  'PayerMax notifications: merchant identity, sign encoding and field rules',
  (kind, adapter) => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(kind, webhookEnv(keys), undefined, adapter);
    });
    afterAll(() => t.close());

    async function capturable() {
      const o = await registerOrder(t, {
        acquirer: 'payermax',
        paymentId: uniqueId('OT').slice(0, 32),
        captureMode: 'AUTOMATIC',
      });
      const body = payermaxCaptureBody({
        outTradeNo: o.paymentId!,
        requestId: uniqueId('RQ'),
        amount: '100.00',
        currency: 'USD',
      });
      return { o, body };
    }

    async function expectRefused(request: () => Promise<{ status: number; body: unknown }>, orderId: string) {
      const before = {
        stored: await notificationCount(t),
        refused: await refusedForSignature(t, 'payermax'),
      };
      expect(await request()).toMatchObject({ status: 401, body: failure('INVALID_SIGNATURE') });
      expect(await notificationCount(t)).toBe(before.stored);
      expect(await refusedForSignature(t, 'payermax')).toBe(before.refused + 1);
      expect(await orderRow(t, orderId)).toMatchObject({ state: 'authorized' });
      expect(await history(t, orderId)).toEqual([]);
    }

    it('a URL-encoded sign is refused: PayerMax signs in plain base64', async () => {
      const { o, body } = await capturable();
      const sign = signPayermaxNotification(body, keys.payermax.privateKey).sign!;
      expect(encodeURIComponent(sign)).not.toBe(sign);
      await expectRefused(() => postPayermax(t, body, keys, { sign: encodeURIComponent(sign) }), o.id);
    });

    it.each([
      ['merchantNo', 'P09999999999999'],
      ['appId', 'another-app-id'],
    ])('a correctly signed body for another %s is refused', async (field, value) => {
      const { o, body } = await capturable();
      await expectRefused(() => postPayermax(t, JSON.stringify(edited(body, [field, value])), keys), o.id);
    });

    it.each(cases(RULES))(
      '$field = $shown: 400 "$field $rule", stored as rejected',
      async ({ edit, field, rule }) => {
        const { o, body: valid } = await capturable();
        const requestId = (JSON.parse(valid) as { data: { requestId: string } }).data.requestId;
        const body = JSON.stringify(edited(valid, edit));
        const res = await postPayermax(t, body, keys);
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
          code: 'PARAM_ILLEGAL',
          msg: expect.stringContaining(`${field} ${rule}`),
          details: expect.arrayContaining([{ field, rule }]),
        });
        const byOrder =
          field.startsWith('data') && field !== 'data.requestId'
            ? { captureRequestId: requestId }
            : { paymentId: o.paymentId! };
        const rows = await storedWhere(t, field === 'data' ? {} : byOrder);
        const row = rows.find((r) => r.rawBody === body);
        expect(row).toMatchObject({ acquirer: 'payermax', outcome: 'rejected', dedupeKey: null });
        expect(row!.detail).toContain(`${field} ${rule}`);
        expect(await orderRow(t, o.id)).toMatchObject({ state: 'authorized' });
      },
    );

    it.each([
      ['"False"', 'False'],
      ['false', false],
      ['"TRUE"', 'TRUE'],
    ])('isFinal %s is accepted', async (_shown, isFinal) => {
      const { o, body } = await capturable();
      const res = await postPayermax(t, JSON.stringify(edited(body, ['data.isFinal', isFinal])), keys);
      expect(res).toMatchObject({ status: 200, body: PAYERMAX_SUCCESS_ACK });
      expect((await orderRow(t, o.id)).state).toBe('captured');
    });
  },
);
