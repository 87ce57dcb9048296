/**
 * A signed capture result, from either acquirer, and what it does to an order: asserted through
 * the HTTP answer, the stored notification and the order's state and transitions. What only one
 * acquirer has (Antom's PROCESS_FAIL, PayerMax's PENDING and amount-less results) is in
 * webhooks-antom.spec.ts and webhooks-payermax.spec.ts.
 */
import { DRIVERS } from '../support/acquirer-drivers';
import {
  describeEachDatabaseAndAdapter,
  history,
  orderRow,
  startTestApp,
  type TestApp,
} from '../support/http-app';
import { applyEvent, generateWebhookKeys, pendingAttempt, webhookEnv } from '../support/webhooks';
import { DAY } from '../support/time';

const keys = generateWebhookKeys();
const REQUESTED = 'CAPTURE_REQUESTED:authorized->capturePending';

describeEachDatabaseAndAdapter('capture notifications', (kind, adapter) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, webhookEnv(keys), undefined, adapter);
  });
  afterAll(() => t.close());

  describe.each(DRIVERS)('$name', (acq) => {
    const ack = () => ({ status: 200, body: acq.successAck });

    /** A MANUAL order with a committed attempt of `value`, as our capture call leaves it. */
    async function withAttempt(value = '10000') {
      const o = await acq.register(t);
      const captureRequestId = acq.captureRequestId();
      await pendingAttempt(t, o.id, captureRequestId, value);
      return { o, paymentId: o.paymentId, captureRequestId };
    }

    it('a success captures the order and is stored as applied', async () => {
      const { o, paymentId, captureRequestId } = await withAttempt();
      const body = acq.captureBody({ paymentId, captureRequestId, value: '10000', currency: 'USD' });
      const res = await acq.send(t, body, keys);
      expect(res).toMatchObject(ack());
      expect(res.text).toBe(acq.successAckText);
      expect(await orderRow(t, o.id)).toMatchObject({
        state: 'captured',
        capturedAmount: '10000',
        reviewReason: null,
      });
      expect(await history(t, o.id)).toEqual([REQUESTED, 'CAPTURE_SUCCEEDED:capturePending->captured']);
      const [row] = await acq.notifications(t, paymentId);
      expect(row).toMatchObject({
        outcome: 'applied',
        notifyType: acq.notifyType,
        orderId: o.id,
        captureRequestId,
        dedupeKey: expect.stringContaining(captureRequestId),
      });
      expect(row!.processedAt).not.toBeNull();
    });

    it('a retryable failure (no human needed) moves the order to captureFailed, stored as applied', async () => {
      const { o, paymentId, captureRequestId } = await withAttempt();
      const body = acq.captureBody({
        paymentId,
        captureRequestId,
        outcome: 'failure',
        failureCode: 'USER_BALANCE_NOT_ENOUGH',
      });
      expect(await acq.send(t, body, keys)).toMatchObject(ack());
      expect(await orderRow(t, o.id)).toMatchObject({ state: 'captureFailed', capturedAmount: '0' });
      expect(await history(t, o.id)).toEqual([REQUESTED, 'CAPTURE_FAILED:capturePending->captureFailed']);
      expect((await acq.notifications(t, paymentId))[0]!.outcome).toBe('applied');
    });

    it('the same notification delivered 8 times is applied once and acknowledged 8 times', async () => {
      const { o, paymentId, captureRequestId } = await withAttempt();
      const body = acq.captureBody({ paymentId, captureRequestId, value: '10000', currency: 'USD' });
      for (let i = 0; i < 8; i++) expect(await acq.send(t, body, keys, { delivery: i })).toMatchObject(ack());
      expect(await history(t, o.id)).toHaveLength(2);
      expect(await acq.notifications(t, paymentId)).toHaveLength(1);
      expect((await orderRow(t, o.id)).capturedAmount).toBe('10000');
    });

    it('8 concurrent deliveries of one notification: one transition, 8 success acknowledgements', async () => {
      const { o, paymentId, captureRequestId } = await withAttempt();
      const body = acq.captureBody({ paymentId, captureRequestId });
      const answers = await Promise.all(Array.from({ length: 8 }, () => acq.send(t, body, keys)));
      for (const a of answers) expect(a).toMatchObject(ack());
      expect(await history(t, o.id)).toEqual([REQUESTED, 'CAPTURE_SUCCEEDED:capturePending->captured']);
      expect(await acq.notifications(t, paymentId)).toHaveLength(1);
    });

    it.each(['AUTOMATIC', 'MANUAL'] as const)(
      'a success after auto-cancel still captures a %s order, with a review flag',
      async (captureMode) => {
        const authorizedAt = new Date(Date.now() - 8 * DAY).toISOString();
        const o = await acq.register(t, { captureMode, authorizedAt });
        await applyEvent(t, o.id, { type: 'DEADLINE_REACHED', at: new Date().toISOString() });
        expect((await orderRow(t, o.id)).state).toBe('autoCancelled');

        const body = acq.captureBody({
          paymentId: o.paymentId,
          captureRequestId: acq.captureRequestId(),
          value: '10000',
          currency: 'USD',
        });
        expect(await acq.send(t, body, keys)).toMatchObject(ack());
        const stored = await orderRow(t, o.id);
        expect(stored).toMatchObject({ state: 'captured', capturedAmount: '10000' });
        expect(stored.reviewReason).toContain('after the order was autoCancelled');
        expect(await history(t, o.id)).toEqual([
          'DEADLINE_REACHED:authorized->autoCancelled',
          'CAPTURE_SUCCEEDED:autoCancelled->captured',
        ]);
        expect((await acq.notifications(t, o.paymentId))[0]!.outcome).toBe('review');
      },
    );

    it('a failure contradicting a recorded success is stored and flagged, and moves nothing', async () => {
      const { o, paymentId, captureRequestId } = await withAttempt();
      await acq.send(t, acq.captureBody({ paymentId, captureRequestId }), keys);
      const res = await acq.send(
        t,
        acq.captureBody({ paymentId, captureRequestId, outcome: 'failure' }),
        keys,
      );
      expect(res).toMatchObject(ack());
      const stored = await orderRow(t, o.id);
      expect(stored).toMatchObject({ state: 'captured', capturedAmount: '10000' });
      expect(stored.reviewReason).toContain('already recorded as successful');
      expect(await history(t, o.id)).toEqual([
        REQUESTED,
        'CAPTURE_SUCCEEDED:capturePending->captured',
        'CAPTURE_FAILED:captured->captured',
      ]);
      expect((await acq.notifications(t, paymentId)).map((n) => n.outcome)).toEqual(['applied', 'review']);
    });

    it('an amount different from the attempt is applied as reported and flagged', async () => {
      const { o, paymentId, captureRequestId } = await withAttempt('10000');
      const body = acq.captureBody({ paymentId, captureRequestId, value: '9000', currency: 'USD' });
      expect(await acq.send(t, body, keys)).toMatchObject(ack());
      const stored = await orderRow(t, o.id);
      expect(stored).toMatchObject({ state: 'captured', capturedAmount: '9000' });
      expect(stored.reviewReason).toContain('captured 9000 where 10000 was requested');
      expect((await acq.notifications(t, paymentId))[0]!.outcome).toBe('review');
    });

    it('a different currency (with an amount) is stored and flagged but not applied', async () => {
      const { o, paymentId, captureRequestId } = await withAttempt();
      const body = acq.captureBody({ paymentId, captureRequestId, value: '10000', currency: 'EUR' });
      expect(await acq.send(t, body, keys)).toMatchObject(ack());
      const stored = await orderRow(t, o.id);
      expect(stored).toMatchObject({ state: 'capturePending', capturedAmount: '0' });
      expect(stored.reviewReason).toContain('capture reported in EUR');
      expect(await history(t, o.id)).toEqual([REQUESTED, 'CAPTURE_SUCCEEDED:capturePending->capturePending']);
      expect((await acq.notifications(t, paymentId))[0]).toMatchObject({ outcome: 'review', orderId: o.id });
    });
  });
});
