/**
 * The capture flow end to end over real HTTP: the service (Fastify, real database) calls the
 * sandbox acquirer with signed requests, the sandbox answers as scripted and sends signed
 * notifications back to the webhook routes; the scheduler's jobs run with tick(now). The
 * sandbox's counts prove what reached the acquirer: never two captures for one order.
 */
import { OrderEventApplier } from '../../src/capture/order-event-applier';
import { newCaptureRequestId } from '../../src/capture/execution/capture-request.service';
import { UnitOfWork } from '../../src/capture/persistence/unit-of-work';
import { describeEachDatabase } from '../support/databases';
import { flowOrder, moves, requestCapture, startFlowApp, until, type FlowApp } from './capture-flow.support';
import { call, detail } from '../support/http-app';
import { DAY, MINUTE, plus } from '../support/time';

describeEachDatabase('capture flow against the sandbox acquirer', (kind) => {
  let f: FlowApp;
  let base: Date;
  beforeAll(async () => {
    f = await startFlowApp(kind);
  });
  afterAll(() => f.close());
  beforeEach(() => {
    base = new Date();
  });

  const counts = (paymentId: string) => f.sandbox.counts(paymentId).byPaymentId[paymentId];
  const callsOf = (captureRequestId: string) =>
    f.sandbox.counts().byCaptureRequestId[captureRequestId]?.calls ?? 0;
  const dueNow = () => plus(base, -MINUTE).toISOString();

  it('S: 202 with the committed attempt, captured once, shippable', async () => {
    const o = await flowOrder(f);
    const r = await requestCapture(f, o.id);
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ status: 'pending', captureRequestId: expect.any(String) });
    const done = await until(f, o.id, (d) => d.state === 'captured' && d.notifications.length > 0);
    expect(done.capturedAmount).toEqual({ currency: 'USD', value: '10000' });
    expect(moves(done)).toEqual([
      'CAPTURE_REQUESTED:authorized->capturePending',
      'CAPTURE_SUCCEEDED:capturePending->captured',
    ]);
    expect(counts(o.paymentId)).toMatchObject({
      calls: 1,
      captures: 1,
      succeeded: 1,
      capturedValue: '10000',
    });
    expect(callsOf(r.body.captureRequestId)).toBe(1);
    const shipment = await call(f.t, 'GET', `/orders/${o.id}/shipment`);
    expect(shipment.body).toMatchObject({ shippable: true, state: 'captured' });
  });

  it('F then a retry with a NEW captureRequestId, then S', async () => {
    const o = await flowOrder(f, { captureAt: dueNow() }, [
      { status: 'F', code: 'USER_BALANCE_NOT_ENOUGH' },
      {},
    ]);
    await f.tick(base);
    expect((await detail(f.t, o.id)).state).toBe('captureFailed');
    await f.tick(plus(base, 11 * MINUTE));
    const done = await until(f, o.id, (d) => d.state === 'captured');
    expect(done.state).toBe('captured');
    const ids = done.attempts.map((a) => a.captureRequestId);
    expect(new Set(ids).size).toBe(2);
    expect(done.attempts.map((a) => a.status).sort()).toEqual(['failed', 'succeeded']);
    for (const id of ids) expect(callsOf(id)).toBe(1);
    expect(counts(o.paymentId)).toMatchObject({ calls: 2, captures: 2, succeeded: 1 });
  });

  it('U, then the notification brings the result', async () => {
    const o = await flowOrder(f, {}, [{ status: 'U', then: { status: 'S' }, resolveAfterMs: 'manual' }]);
    const r = await requestCapture(f, o.id);
    // Settled only once our call has come back U, so the result can only arrive by notification.
    await f.idle();
    expect((await detail(f.t, o.id)).state).toBe('capturePending');
    f.sandbox.resolve(r.body.captureRequestId);
    const done = await until(f, o.id, (d) => d.state === 'captured');
    expect(done.state).toBe('captured');
    expect(done.transitions.at(-1)).toMatchObject({ event: 'CAPTURE_SUCCEEDED', source: 'webhook:antom' });
    // The client may repeat a U with the same id (idempotent): one capture, no inquiry needed.
    expect(counts(o.paymentId)).toMatchObject({ captures: 1, succeeded: 1, inquiries: 0 });
  });

  it('U and a lost notification: the scheduled inquiry finds the result', async () => {
    const o = await flowOrder(f, {}, [{ status: 'U', resolveAfterMs: 'manual', notify: { lost: true } }]);
    const r = await requestCapture(f, o.id);
    await f.idle();
    expect((await detail(f.t, o.id)).state).toBe('capturePending');
    f.sandbox.resolve(r.body.captureRequestId);
    await f.tick(plus(base, 30_000));
    expect((await detail(f.t, o.id)).state).toBe('capturePending');
    await f.tick(plus(base, 2 * MINUTE));
    expect((await detail(f.t, o.id)).state).toBe('captured');
    expect(counts(o.paymentId)).toMatchObject({ captures: 1, succeeded: 1, inquiries: 1 });
    expect(callsOf(r.body.captureRequestId)).toBe(counts(o.paymentId)!.calls);
  });

  it('no answer: the client repeats the same captureRequestId, the inquiry resolves it, one capture', async () => {
    const o = await flowOrder(f, {}, [{ respond: 'hang', notify: { lost: true } }]);
    const r = await requestCapture(f, o.id);
    await f.idle();
    expect((await detail(f.t, o.id)).state).toBe('capturePending');
    await f.tick(plus(base, 2 * MINUTE));
    expect((await detail(f.t, o.id)).state).toBe('captured');
    expect(callsOf(r.body.captureRequestId)).toBe(3); // the first call and the client's two retries
    expect(counts(o.paymentId)).toMatchObject({ captures: 1, succeeded: 1 });
  });

  it('the call is lost on the way (as if the process died mid-call): resolved with the same id, once', async () => {
    const o = await flowOrder(f, {}, [
      { respond: ['lose', 'lose', 'lose', 'answer'], notify: { lost: true } },
    ]);
    const r = await requestCapture(f, o.id);
    await f.idle();
    expect((await detail(f.t, o.id)).state).toBe('capturePending');
    expect(counts(o.paymentId)).toMatchObject({ captures: 0 });
    await f.tick(plus(base, 2 * MINUTE));
    expect((await detail(f.t, o.id)).state).toBe('captured');
    expect(callsOf(r.body.captureRequestId)).toBe(4);
    expect(counts(o.paymentId)).toMatchObject({ captures: 1, succeeded: 1 });
  });

  it('crash between commit and call: the reconciliation job makes the call once', async () => {
    const o = await flowOrder(f);
    const captureRequestId = newCaptureRequestId();
    await f.t.app.get(UnitOfWork).run(
      (em) =>
        f.t.app.get(OrderEventApplier).applyWithin(
          em,
          o.id,
          {
            type: 'CAPTURE_REQUESTED',
            captureRequestId,
            amount: { currency: 'USD', value: '10000' },
            at: base.toISOString(),
          },
          'admin',
        ),
      { skipAfterCommit: true },
    );
    // The process "died" here: the commit happened, the after-commit call never ran.
    await f.tick(plus(base, 2 * MINUTE));
    await f.tick(plus(base, 20 * MINUTE));
    expect((await detail(f.t, o.id)).state).toBe('captured');
    expect(callsOf(captureRequestId)).toBe(1);
    expect(counts(o.paymentId)).toMatchObject({ calls: 1, succeeded: 1 });
  });

  it('AUTOMATIC with a lost notification: inquired after the grace period, captured, never called', async () => {
    const o = await flowOrder(f, {
      captureMode: 'AUTOMATIC',
      authorizedAt: plus(base, -2 * 3_600_000).toISOString(),
    });
    f.sandbox.captureByAcquirer('antom', o.paymentId, { currency: 'USD', value: '10000' }, { lost: true });
    await f.tick(base);
    const done = await detail(f.t, o.id);
    expect(done).toMatchObject({ state: 'captured', review: null });
    expect(counts(o.paymentId)).toMatchObject({ calls: 0, inquiries: 1 });
  });

  it.each(['AUTH_EXPIRED', 'ORDER_IS_CANCELED'])(
    'F %s: the authorization is gone, autoCancelled',
    async (code) => {
      const o = await flowOrder(f, { captureAt: dueNow() }, [{ status: 'F', code }]);
      await f.tick(base);
      await f.tick(plus(base, 11 * MINUTE));
      expect((await detail(f.t, o.id)).state).toBe('autoCancelled');
      expect(counts(o.paymentId)).toMatchObject({ calls: 1, succeeded: 0 });
    },
  );

  it('F PROCESS_FAIL: flagged for review, not retried, not shippable', async () => {
    const o = await flowOrder(f, { captureAt: dueNow() }, [{ status: 'F', code: 'PROCESS_FAIL' }]);
    await f.tick(base);
    await f.tick(plus(base, 11 * MINUTE));
    const d = await detail(f.t, o.id);
    expect(d.state).toBe('captureFailed');
    expect(d.review?.reason).toContain('PROCESS_FAIL');
    expect(counts(o.paymentId)).toMatchObject({ calls: 1 });
    expect((await call(f.t, 'GET', `/orders/${o.id}/shipment`)).body).toMatchObject({ shippable: false });
  });

  it('warns before the deadline', async () => {
    const o = await flowOrder(f, { authorizedAt: plus(base, -6 * DAY - 3_600_000).toISOString() });
    await f.tick(base);
    expect(moves(await detail(f.t, o.id))).toEqual(['DEADLINE_WARNING:authorized->authorized']);
  });

  it('deadline: the acquirer is asked first; with no capture the order is autoCancelled', async () => {
    const o = await flowOrder(f, { authorizedAt: plus(base, MINUTE - 7 * DAY).toISOString() });
    await f.tick(plus(base, 2 * MINUTE));
    expect((await detail(f.t, o.id)).state).toBe('autoCancelled');
    expect(counts(o.paymentId)).toMatchObject({ inquiries: 1, calls: 0 });
  });

  it('deadline: a capture the inquiry finds wins over expiry', async () => {
    const o = await flowOrder(
      f,
      { authorizedAt: plus(base, 10_000 - 7 * DAY).toISOString(), captureAt: dueNow() },
      [{ respond: 'hang', notify: { lost: true } }],
    );
    await f.tick(base);
    expect((await detail(f.t, o.id)).state).toBe('capturePending');
    await f.tick(plus(base, MINUTE));
    const d = await detail(f.t, o.id);
    expect(d.state).toBe('captured');
    expect(moves(d).some((m) => m.startsWith('DEADLINE_REACHED:'))).toBe(false);
    expect(counts(o.paymentId)).toMatchObject({ captures: 1, succeeded: 1 });
  });

  it('multi-capture: partial captures up to the authorized amount, then 409', async () => {
    const o = await flowOrder(f, { multiCapture: true });
    await requestCapture(f, o.id, { amount: '3000' });
    await until(f, o.id, (d) => d.state === 'partiallyCaptured');
    await requestCapture(f, o.id, { amount: '7000' });
    const d = await until(f, o.id, (x) => x.state === 'captured');
    expect(d.capturedAmount.value).toBe('10000');
    expect((await requestCapture(f, o.id, { amount: '1' })).status).toBe(409);
    expect(counts(o.paymentId)).toMatchObject({ calls: 2, succeeded: 2, capturedValue: '10000' });
  });

  it('full-capture-only: a partial is refused before reaching the acquirer', async () => {
    const o = await flowOrder(f, { fullCaptureOnly: true, multiCapture: true });
    expect((await requestCapture(f, o.id, { amount: '5000' })).status).toBe(409);
    expect(f.sandbox.counts(o.paymentId).byPaymentId[o.paymentId]?.calls ?? 0).toBe(0);
    await requestCapture(f, o.id);
    expect((await until(f, o.id, (d) => d.state === 'captured')).capturedAmount.value).toBe('10000');
  });

  it('PayerMax: one capture, final; a second is refused', async () => {
    const o = await flowOrder(f, { acquirer: 'payermax', amount: { currency: 'USD', value: '12345' } });
    await requestCapture(f, o.id);
    const d = await until(f, o.id, (x) => x.state === 'captured' && x.notifications.length > 0);
    expect(d.capturedAmount.value).toBe('12345');
    expect((await requestCapture(f, o.id)).status).toBe(409);
    expect(counts(o.paymentId)).toMatchObject({ calls: 1, succeeded: 1, capturedValue: '12345' });
  });

  it('PayerMax deadline: no query, the order expires directly', async () => {
    const o = await flowOrder(f, {
      acquirer: 'payermax',
      authorizedAt: plus(base, MINUTE - 7 * DAY).toISOString(),
    });
    await f.tick(plus(base, 2 * MINUTE));
    expect((await detail(f.t, o.id)).state).toBe('autoCancelled');
    expect(counts(o.paymentId)?.inquiries ?? 0).toBe(0);
  });
});
