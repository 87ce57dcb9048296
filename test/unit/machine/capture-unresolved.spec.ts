/**
 * A capture of ours with no definite answer is never left hanging: an operator can send it
 * again (same captureRequestId) or abandon it, and at the deadline the order waits for it under
 * review instead of lapsing as if nothing had been captured.
 */
import type { CaptureEffect } from '../../../src/capture/machine/capture-types';
import { ABANDONED_BY_OPERATOR } from '../../../src/capture/machine/capture-rules';
import { retryPlan } from '../../../src/capture/schedule/retry-policy';
import { after, EARLY, ev, LATE, orderInput, play, step } from './model';

const emitted = (effects: CaptureEffect[]) => effects.flatMap((e) => (e.type === 'emit' ? [e.event] : []));
const manual = orderInput();
const multi = orderInput({ multiCapture: true });
const UNRESOLVED = 'deadline passed with capture r1 unresolved; money may have moved';

describe('resending a pending capture', () => {
  it('asks the shell to send the same captureRequestId, amount and isLast again, before or after the deadline', () => {
    for (const at of [EARLY, LATE]) {
      const r = play(multi, [ev.request('r1', '300'), ev.pending('r1'), ev.resend('r1', at)]);
      expect(r.to).toBe('capturePending');
      expect(r.effects).toEqual([
        {
          type: 'resendCapture',
          captureRequestId: 'r1',
          amount: { currency: 'USD', value: '300' },
          isLast: false,
        },
      ]);
      expect(r.snapshot.context).toEqual(after(multi, [ev.request('r1', '300'), ev.pending('r1')]).context);
    }
  });

  it.each([
    ['an unknown capture', [ev.request('r1', '1000')], 'nope', /no capture nope/],
    ['a settled capture', [ev.request('r1', '1000'), ev.success('r1', '1000')], 'r1', /already succeeded/],
    ['a failed capture', [ev.request('r1', '1000'), ev.failure('r1', 'RISK_REJECT')], 'r1', /already failed/],
  ])('refuses %s', (_, before, id, reason) => {
    expect(step(after(manual, before), ev.resend(id))).toMatchObject({ kind: 'rejected', reason });
  });

  it("refuses the acquirer's own capture: there is nothing of ours to send", () => {
    const automatic = orderInput({ captureMode: 'AUTOMATIC' });
    const pending = after(automatic, [ev.pending('acq-1')]);
    expect(step(pending, ev.resend('acq-1'))).toMatchObject({ kind: 'rejected', reason: /acquirer/ });
  });
});

describe('abandoning a pending capture', () => {
  it('before the deadline: the attempt fails as the operator says, with no retry and no review', () => {
    const r = play(manual, [ev.request('r1', '1000'), ev.abandon('r1', EARLY)]);
    expect(r.to).toBe('captureFailed');
    expect(r.snapshot.context.attempts.r1).toEqual({
      amount: '1000',
      status: 'failed',
      ours: true,
      isLast: true,
      resultCode: ABANDONED_BY_OPERATOR,
    });
    expect(r.snapshot.context.review).toBeNull();
    expect(emitted(r.effects)).toEqual(['order.capture_failed']);
    expect(retryPlan(r.snapshot.context, 3).kind).toBe('none');
    // The operator may capture again with a new id.
    expect(step(r.snapshot, ev.request('r2', '1000')).kind).toBe('applied');
  });

  it('refuses a capture that is not pending', () => {
    const done = after(manual, [ev.request('r1', '1000'), ev.success('r1', '1000')]);
    expect(step(done, ev.abandon('r1'))).toMatchObject({ kind: 'rejected', reason: /already succeeded/ });
  });
});

describe('the deadline with a capture unresolved', () => {
  const atDeadline = () => play(manual, [ev.request('r1', '1000'), ev.pending('r1'), ev.deadline()]);

  it('does not lapse: the order waits for the capture, under review', () => {
    const r = atDeadline();
    expect(r.to).toBe('capturePending');
    expect(r.snapshot.context.review).toEqual({ reason: UNRESOLVED, since: LATE });
    expect(r.snapshot.context.deadlinePassed).toBe(true);
    expect(emitted(r.effects)).toEqual(['order.review_required']);
  });

  it('a repeated deadline is a duplicate (nothing to store, nothing to spin on)', () => {
    expect(step(atDeadline().snapshot, ev.deadline()).kind).toBe('duplicate');
  });

  it('the review cannot be closed while the capture is unresolved', () => {
    expect(step(atDeadline().snapshot, { type: 'REVIEW_RESOLVED', note: 'ok', at: LATE })).toMatchObject({
      kind: 'rejected',
      reason: /r1 is still unresolved.*resend or abandon/,
    });
  });

  it('abandoned: nothing was captured, the authorization lapsed (autoCancelled), the review answered', () => {
    const r = step(atDeadline().snapshot, ev.abandon('r1'));
    expect(r).toMatchObject({ kind: 'applied', to: 'autoCancelled' });
    if (r.kind !== 'applied') return;
    expect(r.snapshot.context.review).toBeNull();
    expect(emitted(r.effects)).toEqual(['order.capture_failed', 'order.auto_cancelled']);
  });

  it('captured after all (a resend or a notification): captured, the review answered', () => {
    const r = step(atDeadline().snapshot, ev.success('r1', '1000'));
    expect(r).toMatchObject({ kind: 'applied', to: 'captured', snapshot: { context: { review: null } } });
  });

  it('failed after all: autoCancelled', () => {
    const r = step(atDeadline().snapshot, ev.failure('r1', 'USER_BALANCE_NOT_ENOUGH'));
    expect(r).toMatchObject({ kind: 'applied', to: 'autoCancelled' });
  });

  it('after a partial capture, the last one failing or abandoned: partiallyLapsed, under review', () => {
    const before = [ev.request('r1', '300'), ev.success('r1', '300'), ev.request('r2', '700'), ev.deadline()];
    const waiting = after(multi, before);
    expect(waiting.value).toBe('capturePending');
    expect(waiting.context.review?.reason).toMatch(/capture r2 unresolved/);
    for (const resolution of [ev.abandon('r2'), ev.failure('r2', 'USER_BALANCE_NOT_ENOUGH')]) {
      const r = step(waiting, resolution);
      expect(r).toMatchObject({ kind: 'applied', to: 'partiallyLapsed' });
      if (r.kind !== 'applied') continue;
      expect(r.snapshot.context.review?.reason).toBe(
        'the authorization ended with 300 of 1000 captured; 700 lapsed',
      );
      expect(emitted(r.effects)).toEqual([
        'order.capture_failed',
        'order.partially_lapsed',
        'order.review_required',
      ]);
    }
    // The remainder captured after all: the order is whole.
    expect(step(waiting, ev.success('r2', '700'))).toMatchObject({ kind: 'applied', to: 'captured' });
  });

  it('a partial success of the last pending capture, not marked last: partiallyLapsed', () => {
    const waiting = after(multi, [ev.request('r1', '300'), ev.deadline()]);
    const r = step(waiting, ev.success('r1', '300'));
    expect(r).toMatchObject({ kind: 'applied', to: 'partiallyLapsed' });
  });
});
