/**
 * Signed notifications whose text cannot be stored as sent: a NUL character (PostgreSQL refuses
 * it in text), a code longer than its column, ids whose escaped dedupe key outgrows its column.
 * Each is stored cleaned and bounded, applied, and acknowledged like any other authentic
 * notification; the raw body keeps the bytes exactly as received. Both databases.
 */
import { CaptureAttemptEntity, InboundNotificationEntity } from '../../src/capture/persistence/entities';
import {
  startTestApp,
  type TestApp,
  describeEachDatabaseAndAdapter,
  orderRow,
  registerOrder,
} from '../support/http-app';
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
const NUL = '\u0000';

describeEachDatabaseAndAdapter(
  'notifications with text the database cannot take as sent',
  (kind, adapter) => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(kind, webhookEnv(keys, { LOG_LEVEL: 'silent' }), undefined, adapter);
    });
    afterAll(() => t.close());

    const attempt = (captureRequestId: string) =>
      t.dataSource.getRepository(CaptureAttemptEntity).findOneByOrFail({ captureRequestId });

    async function payermaxAttempt(requestId = uniqueId('RQ')) {
      const o = await registerOrder(t, { acquirer: 'payermax', paymentId: uniqueId('OT').slice(0, 32) });
      await pendingAttempt(t, o.id, requestId, '10000');
      return { o, outTradeNo: o.paymentId!, requestId };
    }

    it('PayerMax FAILED with a 100-character errorCode and a NUL in errorMsg: applied, cut and cleaned', async () => {
      const { o, outTradeNo, requestId } = await payermaxAttempt();
      const body = JSON.parse(payermaxCaptureBody({ outTradeNo, requestId, status: 'FAILED' })) as {
        data: Record<string, unknown>;
      };
      body.data.errorCode = `E${'X'.repeat(99)}`;
      body.data.errorMsg = `card${NUL}declined ${'m'.repeat(300)}`;
      const raw = JSON.stringify(body);
      expect(raw).toContain('\\u0000');
      expect(await postPayermax(t, raw, keys)).toMatchObject({ status: 200, body: PAYERMAX_SUCCESS_ACK });
      expect((await orderRow(t, o.id)).state).not.toBe('capturePending');
      const row = await attempt(requestId);
      expect(row.status).toBe('failed');
      expect(row.resultCode).toBe(`E${'X'.repeat(62)}\u2026`);
      expect(row.resultMessage).toHaveLength(256);
      expect(row.resultMessage).toMatch(/^card\ufffddeclined m+\u2026$/);
      const [stored] = await notifications(t, 'payermax', outTradeNo);
      expect(stored).toMatchObject({ outcome: expect.stringMatching(/applied|review/), rawBody: raw });
      // A retry of the same bytes is a redelivery, not a second row.
      expect((await postPayermax(t, raw, keys)).status).toBe(200);
      expect(await notifications(t, 'payermax', outTradeNo)).toHaveLength(1);
    });

    it('PayerMax ids full of ":" (a dedupe key past 255 characters once escaped) are stored and deduplicated', async () => {
      const requestId = `${uniqueId('RQ')}${':'.repeat(64)}`.slice(0, 64);
      const { o, outTradeNo } = await payermaxAttempt(requestId);
      const captureNo = `CN${':'.repeat(62)}`;
      const raw = payermaxCaptureBody({
        outTradeNo,
        requestId,
        captureNo,
        amount: '100.00',
        currency: 'USD',
      });
      expect(await postPayermax(t, raw, keys)).toMatchObject({ status: 200, body: PAYERMAX_SUCCESS_ACK });
      expect(await postPayermax(t, raw, keys)).toMatchObject({ status: 200, body: PAYERMAX_SUCCESS_ACK });
      expect((await orderRow(t, o.id)).state).toBe('captured');
      const rows = await notifications(t, 'payermax', outTradeNo);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.dedupeKey!.length).toBeLessThanOrEqual(255);
    });

    it('Antom F with NUL and control characters in its code and message: applied, cleaned', async () => {
      const o = await registerOrder(t, { paymentId: uniqueId('PAY') });
      const captureRequestId = uniqueId('CR');
      await pendingAttempt(t, o.id, captureRequestId, '10000');
      const body = JSON.parse(
        antomCaptureBody({ paymentId: o.paymentId!, captureRequestId, status: 'F' }),
      ) as {
        result: Record<string, string>;
      };
      body.result.resultCode = `PROCESS_FAIL${NUL}`;
      body.result.resultMessage = `General${NUL}business\u0007failure\n`;
      const raw = JSON.stringify(body);
      expect(await postAntom(t, raw, keys)).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
      const row = await attempt(captureRequestId);
      expect(row).toMatchObject({
        status: 'failed',
        resultCode: 'PROCESS_FAIL\ufffd',
        resultMessage: 'General\ufffdbusiness\ufffdfailure\ufffd',
      });
      const stored = (await notifications(t, 'antom', o.paymentId!))[0];
      expect(stored!.rawBody).toBe(raw);
      const reason = (await orderRow(t, o.id)).reviewReason;
      expect(reason ?? '').not.toContain(NUL);
    });

    it('Antom ids and notify types with a NUL are stored cleaned (orphan, ignored)', async () => {
      const paymentId = `${uniqueId('PAY')}${NUL}`;
      const raw = antomCaptureBody({ paymentId, captureRequestId: `${uniqueId('CR')}${NUL}` });
      expect(await postAntom(t, raw, keys)).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
      const orphan = await t.dataSource
        .getRepository(InboundNotificationEntity)
        .findOneByOrFail({ rawBody: raw });
      expect(orphan.outcome).toBe('orphan');
      expect(orphan.paymentId).toBe(paymentId.replace(NUL, '\ufffd'));

      const other = JSON.stringify({ notifyType: `DISPUTE_${'Z'.repeat(40)}${NUL}`, paymentId: `P${NUL}` });
      expect(await postAntom(t, other, keys)).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
      const ignored = await t.dataSource
        .getRepository(InboundNotificationEntity)
        .findOneByOrFail({ rawBody: other });
      expect(ignored.outcome).toBe('ignored');
      expect(ignored.notifyType).toBe(`DISPUTE_${'Z'.repeat(23)}\u2026`);
      expect(ignored.detail).not.toContain(NUL);
    });

    it('a signed body that is not JSON because of a raw NUL byte is 400 and kept, not 503', async () => {
      const raw = Buffer.from(`{"notifyType":"CAPTURE_RESULT","paymentId":"P\u0000"}`, 'utf8');
      const res = await postAntom(t, raw, keys);
      expect(res.status).toBe(400);
      const rejected = await t.dataSource
        .getRepository(InboundNotificationEntity)
        .find({ where: { outcome: 'rejected' }, order: { id: 'DESC' }, take: 1 });
      expect(rejected[0]!.rawBody).toBe('{"notifyType":"CAPTURE_RESULT","paymentId":"P\ufffd"}');
      expect(rejected[0]!.detail).toContain('NUL bytes replaced');
    });

    it('a signed body refused by a field rule is kept with its ids cleaned, not 503', async () => {
      const paymentId = `${uniqueId('PAY')}${NUL}`;
      const body = JSON.parse(antomCaptureBody({ paymentId, captureRequestId: uniqueId('CR') })) as Record<
        string,
        unknown
      >;
      delete body.captureAmount;
      const res = await postAntom(t, JSON.stringify(body), keys);
      expect(res.status).toBe(400);
      const [row] = await notifications(t, 'antom', paymentId.replace(NUL, '\ufffd'));
      expect(row!.outcome).toBe('rejected');
    });
  },
);
