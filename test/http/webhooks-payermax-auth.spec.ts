/**
 * POST /webhooks/payermax/capture: the `sign` header and the merchant identity before anything
 * else, every field rule of seed 004 through HTTP, and the HTTP edges, each answered with
 * PayerMax's `{code, msg}` and leaving nothing stored unless the notification was authentic.
 */
import { signPayermaxNotification, generateTestKeyPair } from '../fixtures/seed-bodies';
import { WebhookCounters } from '../../src/webhooks';
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
  notifications,
  PAYERMAX_SUCCESS_ACK,
  payermaxCaptureBody,
  postPayermax,
  storedWhere,
  uniqueId,
  webhookEnv,
} from '../support/webhooks';

const keys = generateWebhookKeys();
const stranger = generateTestKeyPair();
const BODY_LIMIT = 4096;
const failure = (code: string) => ({ code, msg: expect.any(String) });

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
  'PayerMax notifications: authenticity, field rules and HTTP edges',
  (kind, adapter) => {
    let t: TestApp;
    let antomOnly: TestApp;
    beforeAll(async () => {
      t = await startTestApp(
        kind,
        webhookEnv(keys, { BODY_LIMIT_BYTES: String(BODY_LIMIT) }),
        undefined,
        adapter,
      );
      const env = webhookEnv(keys);
      for (const name of Object.keys(env)) if (name.startsWith('PAYERMAX_')) delete env[name];
      antomOnly = await startTestApp(kind, env, undefined, adapter);
    });
    afterAll(async () => {
      await antomOnly.close();
      await t.close();
    });

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
      const counters = t.app.get(WebhookCounters);
      const before = {
        stored: await notificationCount(t),
        refused: counters.get('payermax', 'unauthorized'),
      };
      expect(await request()).toMatchObject({ status: 401, body: failure('INVALID_SIGNATURE') });
      expect(await notificationCount(t)).toBe(before.stored);
      expect(counters.get('payermax', 'unauthorized')).toBe(before.refused + 1);
      expect(await orderRow(t, orderId)).toMatchObject({ state: 'authorized' });
      expect(await history(t, orderId)).toEqual([]);
    }

    it('a sign by another key is refused', async () => {
      const { o, body } = await capturable();
      const forged = signPayermaxNotification(body, stranger.privateKey).sign;
      await expectRefused(() => postPayermax(t, body, keys, { sign: forged }), o.id);
    });

    it('a missing sign header is refused', async () => {
      const { o, body } = await capturable();
      await expectRefused(() => postPayermax(t, body, keys, { sign: undefined }), o.id);
    });

    it('a URL-encoded sign is refused: PayerMax signs in plain base64', async () => {
      const { o, body } = await capturable();
      const sign = signPayermaxNotification(body, keys.payermax.privateKey).sign;
      expect(encodeURIComponent(sign)).not.toBe(sign);
      await expectRefused(() => postPayermax(t, body, keys, { sign: encodeURIComponent(sign) }), o.id);
    });

    it('a tampered body is refused', async () => {
      const { o, body } = await capturable();
      const sign = signPayermaxNotification(body, keys.payermax.privateKey).sign;
      await expectRefused(() => postPayermax(t, body.replace('"100.00"', '"1.00"'), keys, { sign }), o.id);
    });

    it.each([
      ['merchantNo', 'P09999999999999'],
      ['appId', 'another-app-id'],
    ])('a correctly signed body for another %s is refused', async (field, value) => {
      const { o, body } = await capturable();
      await expectRefused(() => postPayermax(t, JSON.stringify(edited(body, [field, value])), keys), o.id);
    });

    it('notifications are refused while PayerMax is not configured', async () => {
      const { body } = await capturable();
      const res = await postPayermax(antomOnly, body, keys);
      expect(res).toMatchObject({ status: 401, body: failure('INVALID_SIGNATURE') });
      expect(await notificationCount(antomOnly)).toBe(0);
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

    it('signed malformed JSON is stored as rejected and answered 400', async () => {
      const before = await notificationCount(t);
      const res = await postPayermax(t, '{"notifyType": "CAPTURE", "data": {', keys);
      expect(res).toMatchObject({
        status: 400,
        body: {
          ...failure('PARAM_ILLEGAL'),
          details: [{ field: 'body', rule: expect.stringContaining('JSON') }],
        },
      });
      expect(res.text).not.toMatch(/at \w+ \(|node_modules|\.ts:/);
      expect(await notificationCount(t)).toBe(before + 1);
    });

    it.each(['text/plain', 'application/xml'])('a body sent as %s is answered 415', async (contentType) => {
      const { o, body } = await capturable();
      const res = await postPayermax(t, body, keys, { 'content-type': contentType });
      expect(res).toMatchObject({ status: 415, body: failure('UNSUPPORTED_MEDIA_TYPE') });
      expect((await orderRow(t, o.id)).state).toBe('authorized');
    });

    it('a body over BODY_LIMIT_BYTES is answered 413 with the failure ack, nothing stored', async () => {
      const { o, body } = await capturable();
      const before = await notificationCount(t);
      const res = await postPayermax(
        t,
        JSON.stringify(edited(body, ['padding', 'x'.repeat(BODY_LIMIT)])),
        keys,
      );
      expect(res).toMatchObject({ status: 413, body: failure('REQUEST_TOO_LARGE') });
      expect(await notificationCount(t)).toBe(before);
      expect((await orderRow(t, o.id)).state).toBe('authorized');
    });

    it('with the database down: 503 and the failure ack, nothing written; the retry is applied', async () => {
      const { o, body } = await capturable();
      await t.dataSource.destroy();
      let res;
      try {
        res = await postPayermax(t, body, keys);
      } finally {
        await t.dataSource.initialize();
      }
      expect(res).toMatchObject({ status: 503, body: failure('SERVICE_UNAVAILABLE') });
      expect(await notifications(t, 'payermax', o.paymentId!)).toEqual([]);
      expect(await postPayermax(t, body, keys)).toMatchObject({ status: 200, body: PAYERMAX_SUCCESS_ACK });
      expect((await orderRow(t, o.id)).state).toBe('captured');
    });
  },
);
