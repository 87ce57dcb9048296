/**
 * An operator's hands on a capture with no definite answer, over real HTTP against the sandbox
 * acquirer: resend it under the same captureRequestId, abandon it, or reconcile the order (which
 * resends where the acquirer has no query), each recorded in the history with the note.
 */
import { In } from 'typeorm';
import { CaptureAttemptEntity, OrderTransitionEntity } from '../../src/capture/persistence/entities';
import { describeEachDatabase } from '../support/databases';
import { flowOrder, moves, requestCapture, startFlowApp, until, type FlowApp } from './capture-flow.support';
import { call, detail } from '../support/http-app';
import { DAY, MINUTE, plus } from '../support/time';

describeEachDatabase('operator actions on a pending capture', (kind) => {
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
  const post = (path: string, body?: unknown) => call(f.t, 'POST', path, body);
  /** The client tries three times (its own retries); every one of them gets no answer in time. */
  const NO_ANSWER = ['hang', 'hang', 'hang', 'answer'] as const;

  /** A PayerMax capture the acquirer made, whose answer and notification never came back. */
  async function unanswered(overrides = {}, respond: readonly string[] = NO_ANSWER) {
    const o = await flowOrder(f, { acquirer: 'payermax', ...overrides }, [
      { respond: [...respond] as never, notify: { lost: true } },
    ]);
    const r = await requestCapture(f, o.id);
    await f.idle();
    const d = await detail(f.t, o.id);
    expect(d.state).toBe('capturePending');
    return { o, id: r.body.captureRequestId };
  }
  /** The operator's transitions, oldest first: the capture request itself, then the actions. */
  const adminPayloads = async (orderId: string) =>
    (
      await f.t.dataSource
        .getRepository(OrderTransitionEntity)
        .find({ where: { orderId, source: 'admin' }, order: { id: 'ASC' } })
    ).map((t) => ({ event: t.eventType, payload: t.payload }));

  it('resend: 202, the same captureRequestId sent again, captured once, the note in the history', async () => {
    const { o, id } = await unanswered();
    const res = await post(`/admin/orders/${o.id}/attempts/${id}/resend`, { note: 'no answer since noon' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      orderId: o.id,
      captureRequestId: id,
      amount: { currency: 'USD', value: '10000' },
      isLast: true,
      status: 'pending',
    });
    const d = await until(f, o.id, (x) => x.state === 'captured');
    expect(d.state).toBe('captured');
    expect(moves(d).slice(-2)).toEqual([
      'CAPTURE_RESEND_REQUESTED:capturePending->capturePending',
      'CAPTURE_SUCCEEDED:capturePending->captured',
    ]);
    expect((await adminPayloads(o.id)).slice(1)).toEqual([
      {
        event: 'CAPTURE_RESEND_REQUESTED',
        payload: expect.objectContaining({ captureRequestId: id, note: 'no answer since noon' }),
      },
    ]);
    expect(counts(o.paymentId)).toMatchObject({ calls: 4, captures: 1, succeeded: 1 });
    expect((await call(f.t, 'GET', `/orders/${o.id}/shipment`)).body).toMatchObject({ shippable: true });
  });

  it('abandon: 200, the attempt failed ABANDONED_BY_OPERATOR, the order captureFailed, the note kept', async () => {
    // Never processed at all: the acquirer has nothing, as the operator found out.
    const { o, id } = await unanswered({}, ['lose']);
    const res = await post(`/admin/orders/${o.id}/attempts/${id}/abandon`, {
      note: 'PayerMax: no such request',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: o.id, state: 'captureFailed', review: null });
    const d = await detail(f.t, o.id);
    expect(d.attempts).toEqual([
      expect.objectContaining({
        captureRequestId: id,
        status: 'failed',
        resultCode: 'ABANDONED_BY_OPERATOR',
      }),
    ]);
    expect((await adminPayloads(o.id)).slice(1)).toEqual([
      { event: 'CAPTURE_ABANDONED', payload: expect.objectContaining({ note: 'PayerMax: no such request' }) },
    ]);
    // Abandoned is final for that attempt: neither resent nor abandoned again.
    const again = await post(`/admin/orders/${o.id}/attempts/${id}/resend`, { note: 'oops' });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already failed/);
  });

  it('reconcile resends a PayerMax capture with no answer once its call has ended', async () => {
    const { o, id } = await unanswered();
    // The call ended long ago (four acquirer timeouts is the bar).
    await f.t.dataSource
      .getRepository(CaptureAttemptEntity)
      .update({ captureRequestId: id }, { calledAt: plus(new Date(), -MINUTE) });
    const res = await post(`/admin/orders/${o.id}/reconcile`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      outcome: 'unsupported',
      sent: [{ captureRequestId: id, mode: 'resend', status: 'S' }],
      order: { state: 'captured' },
    });
    expect(counts(o.paymentId)).toMatchObject({ captures: 1, succeeded: 1 });
  });

  it('at the deadline an unresolved capture is reviewed, once; a resend then finishes the order', async () => {
    const { o, id } = await unanswered({ authorizedAt: plus(base, 30_000 - 7 * DAY).toISOString() }, [
      'hang',
      'hang',
      'hang',
      'hang',
      'hang',
      'hang',
      'answer',
    ]);
    await f.tick(plus(base, MINUTE));
    await f.tick(plus(base, 2 * MINUTE));
    const d = await detail(f.t, o.id);
    expect(d).toMatchObject({
      state: 'capturePending',
      review: { reason: `deadline passed with capture ${id} unresolved; money may have moved` },
    });
    expect(moves(d).filter((m) => m.startsWith('DEADLINE_REACHED:'))).toHaveLength(1);
    const closing = await post(`/admin/orders/${o.id}/review/resolve`, { note: 'fine' });
    expect(closing.status).toBe(409);
    expect((await post(`/admin/orders/${o.id}/attempts/${id}/resend`, { note: 'last try' })).status).toBe(
      202,
    );
    const done = await until(f, o.id, (x) => x.state === 'captured');
    expect(done).toMatchObject({ state: 'captured', review: null });
    expect(counts(o.paymentId)).toMatchObject({ captures: 1, succeeded: 1 });
  });

  it('validates the note and the captureRequestId; 409 for an unknown attempt, 404 for an unknown order', async () => {
    const { o, id } = await unanswered({}, ['lose']);
    for (const action of ['resend', 'abandon']) {
      const path = `/admin/orders/${o.id}/attempts/${id}/${action}`;
      for (const body of [undefined, {}, { note: '  ' }, { note: 'n'.repeat(1001) }, { note: 7 }]) {
        const res = await post(path, body);
        expect(res.status).toBe(400);
        expect(res.body.details).toEqual([{ field: 'note', rule: expect.any(String) }]);
      }
      const badId = await post(`/admin/orders/${o.id}/attempts/${'x'.repeat(65)}/${action}`, { note: 'n' });
      expect(badId.status).toBe(400);
      expect(badId.body.details).toEqual([
        { field: 'captureRequestId', rule: expect.stringContaining('64') },
      ]);
      const unknown = await post(`/admin/orders/${o.id}/attempts/cr_nope/${action}`, { note: 'n' });
      expect([unknown.status, unknown.body.message]).toEqual([409, 'no capture cr_nope on this order']);
      const noOrder = await post(
        `/admin/orders/00000000-0000-0000-0000-000000000000/attempts/${id}/${action}`,
        {
          note: 'n',
        },
      );
      expect(noOrder.status).toBe(404);
    }
    const transitions = await f.t.dataSource
      .getRepository(OrderTransitionEntity)
      .count({ where: { orderId: o.id, eventType: In(['CAPTURE_RESEND_REQUESTED', 'CAPTURE_ABANDONED']) } });
    expect(transitions).toBe(0);
  });
});
