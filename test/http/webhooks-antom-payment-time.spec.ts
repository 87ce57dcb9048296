/**
 * notifyPayment's paymentTime becomes the order's authorizedAt, and the capture deadline counts
 * from it: a time that rolled over, lies in the future or before 2000 is not applied. The
 * notification is authentic and a retry would carry the same value, so it is acknowledged and
 * the order flagged for a person instead. Both databases.
 */
import { DATE_RULES } from '../../src/capture/dates';
import {
  startTestApp,
  type TestApp,
  describeEachDatabaseAndAdapter,
  orderRow,
  registerOrder,
  history,
} from '../support/http-app';
import { ANTOM_SUCCESS_ACK, postAntom, uniqueId, webhookEnv, generateWebhookKeys } from '../support/webhooks';

const keys = generateWebhookKeys();

const body = (paymentId: string, paymentRequestId: string, paymentTime: string) =>
  JSON.stringify({
    notifyType: 'PAYMENT_RESULT',
    result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' },
    paymentRequestId,
    paymentId,
    paymentAmount: { currency: 'USD', value: '10000' },
    paymentTime,
  });

describeEachDatabaseAndAdapter(
  'Antom notifyPayment: paymentTime must be a usable authorization time',
  (kind, adapter) => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(kind, webhookEnv(keys, { LOG_LEVEL: 'silent' }), undefined, adapter);
    });
    afterAll(() => t.close());

    it.each([
      ['9999-12-31T23:59:59+08:00', DATE_RULES.notInFuture],
      ['2026-02-31T10:00:00+08:00', DATE_RULES.calendar],
      ['1999-12-31T10:00:00+08:00', DATE_RULES.notBeforeFloor],
    ])('%s: acknowledged, deadline unchanged, review opened (%s)', async (paymentTime, rule) => {
      const o = await registerOrder(t, { paymentId: uniqueId('PAY'), paymentRequestId: uniqueId('PR') });
      const res = await postAntom(t, body(o.paymentId!, o.paymentRequestId!, paymentTime), keys);
      expect(res).toMatchObject({ status: 200, body: ANTOM_SUCCESS_ACK });
      const after = await orderRow(t, o.id);
      expect(after.authorizedAt.toISOString()).toBe(o.authorizedAt);
      expect(after.captureDeadline.toISOString()).toBe(o.captureDeadline);
      expect(after.reviewReason).toContain(`paymentTime ${paymentTime} ${rule}`);
      expect(await history(t, o.id)).toEqual(['REVIEW_FLAGGED:authorized->authorized']);
    });

    it('a real time a moment ago still confirms the authorization', async () => {
      const o = await registerOrder(t, { paymentId: uniqueId('PAY'), paymentRequestId: uniqueId('PR') });
      const paymentTime = new Date(Date.now() - 60_000).toISOString();
      expect((await postAntom(t, body(o.paymentId!, o.paymentRequestId!, paymentTime), keys)).status).toBe(
        200,
      );
      const after = await orderRow(t, o.id);
      expect(after.authorizedAt.toISOString()).toBe(paymentTime);
      expect(after.reviewReason).toBeNull();
    });
  },
);
