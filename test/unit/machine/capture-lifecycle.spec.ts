/**
 * Result-code classification, the deadline, cancel and review as the machine applies them
 * (docs/state-chart.md: result codes are classified once, no capture request at or after the deadline).
 */
import type { CaptureEffect } from '../../../src/capture/machine/capture-types';
import { RESULT_CODES } from '../../../src/capture/machine/result-codes';
import { after, DEADLINE, EARLY, ev, LATE, orderInput, play, step } from './model';

const emitted = (effects: CaptureEffect[]) => effects.flatMap((e) => (e.type === 'emit' ? [e.event] : []));
const codesOf = (kind: string) =>
  Object.entries(RESULT_CODES).flatMap(([code, k]) => (k === kind ? [code] : []));
const manual = orderInput();
const multi = orderInput({ multiCapture: true });

describe('a failed capture, by result code', () => {
  it.each(codesOf('authGone'))('%s: the authorization is gone, the order autoCancelled', (code) => {
    const r = play(manual, [ev.request('r1', '1000'), ev.failure('r1', code)]);
    expect(r.to).toBe('autoCancelled');
    expect(emitted(r.effects)).toEqual(['order.capture_failed', 'order.auto_cancelled']);
    expect(r.snapshot.context.review).toBeNull();
  });

  it.each(codesOf('retry'))('%s: captureFailed, a new request may follow, no review', (code) => {
    const r = play(manual, [ev.request('r1', '1000'), ev.failure('r1', code)]);
    expect(r.to).toBe('captureFailed');
    expect(r.snapshot.context.review).toBeNull();
    expect(step(r.snapshot, ev.request('r2', '1000')).kind).toBe('applied');
  });

  it.each([...codesOf('needsHuman'), 'A_CODE_NOBODY_DOCUMENTED', ''])(
    '%p: captureFailed and a review for a human',
    (code) => {
      const r = play(manual, [ev.request('r1', '1000'), ev.failure('r1', code)]);
      expect(r.to).toBe('captureFailed');
      expect(r.snapshot.context.review?.reason).toMatch(/needs a human/);
      expect(emitted(r.effects)).toEqual(['order.capture_failed', 'order.review_required']);
    },
  );

  it('authorization gone after a partial capture: what was captured stays, the rest lapsed, under review', () => {
    const r = play(multi, [
      ev.request('r1', '300'),
      ev.success('r1', '300'),
      ev.request('r2', '700'),
      ev.failure('r2', 'AUTH_EXPIRED'),
    ]);
    expect(r.to).toBe('partiallyLapsed');
    expect(r.snapshot.context.capturedAmount).toBe('300');
    expect(r.snapshot.context.review?.reason).toBe(
      'the authorization ended with 300 of 1000 captured; 700 lapsed',
    );
    expect(emitted(r.effects)).toEqual([
      'order.capture_failed',
      'order.partially_lapsed',
      'order.review_required',
    ]);
  });

  it('a repeated failure is a duplicate', () => {
    const failed = after(manual, [ev.request('r1', '1000'), ev.failure('r1', 'RISK_REJECT')]);
    expect(step(failed, ev.failure('r1', 'RISK_REJECT')).kind).toBe('duplicate');
  });

  it('a MANUAL order flags a failure for a request we never sent, and stays where it was', () => {
    const r = play(manual, [ev.failure('stranger', 'AUTH_EXPIRED')]);
    expect(r.to).toBe('authorized');
    expect(r.snapshot.context.review?.reason).toMatch(/never sent/);
  });

  it('an in-process result keeps the attempt pending; a second one is a duplicate', () => {
    const r = play(manual, [ev.request('r1', '1000'), ev.pending('r1')]);
    expect(r.to).toBe('capturePending');
    expect(r.snapshot.context.attempts.r1).toMatchObject({ status: 'pending', inProcess: true });
    expect(step(r.snapshot, ev.pending('r1')).kind).toBe('duplicate');
  });
});

describe('the capture deadline', () => {
  it('no capture request at or after the deadline; just before is fine', () => {
    const order = after(manual, []);
    expect(step(order, ev.request('r1', '1000', { at: DEADLINE }))).toMatchObject({
      kind: 'rejected',
      reason: expect.stringMatching(/deadline/),
    });
    expect(step(order, ev.request('r1', '1000', { at: '2025-01-07T23:59:59.999Z' })).kind).toBe('applied');
  });

  it('DEADLINE_REACHED before the deadline is refused', () => {
    expect(step(after(manual, []), ev.deadline(EARLY)).kind).toBe('rejected');
  });

  it.each([
    ['authorized', []],
    ['captureFailed', [ev.request('r1', '1000'), ev.failure('r1', 'USER_BALANCE_NOT_ENOUGH')]],
  ])('from %s with nothing captured: autoCancelled', (_, before) => {
    const r = play(manual, [...before, ev.deadline()]);
    expect(r.to).toBe('autoCancelled');
    expect(emitted(r.effects)).toEqual(['order.auto_cancelled']);
  });

  it('from partiallyCaptured: what was captured stays, the remainder lapses, and the order may not ship', () => {
    const r = play(multi, [ev.request('r1', '300'), ev.success('r1', '300'), ev.deadline()]);
    expect(r.to).toBe('partiallyLapsed');
    expect(r.snapshot.context.capturedAmount).toBe('300');
    expect(r.snapshot.context.review).toEqual({
      reason: 'the authorization ended with 300 of 1000 captured; 700 lapsed',
      since: LATE,
    });
    expect(emitted(r.effects)).toEqual(['order.partially_lapsed', 'order.review_required']);
    // Final: no capture, no cancel, no second deadline.
    expect(step(r.snapshot, ev.request('r2', '700')).kind).toBe('rejected');
    expect(step(r.snapshot, ev.cancel()).kind).toBe('rejected');
    expect(step(r.snapshot, ev.deadline()).kind).toBe('rejected');
  });

  it('a late success after partiallyLapsed still moves the money, to captured under review', () => {
    const r = play(multi, [
      ev.request('r1', '300'),
      ev.success('r1', '300'),
      ev.deadline(),
      ev.success('acquirer-late', '700'),
    ]);
    expect(r.to).toBe('captured');
    expect(r.snapshot.context.capturedAmount).toBe('1000');
    expect(r.snapshot.context.review?.reason).toMatch(/success arrived after the order was partiallyLapsed/);
  });

  it('the deadline warning goes out once, and not for a final order', () => {
    const warned = play(manual, [{ type: 'DEADLINE_WARNING', at: EARLY }]);
    expect(emitted(warned.effects)).toEqual(['order.capture_deadline_approaching']);
    expect(step(warned.snapshot, { type: 'DEADLINE_WARNING', at: EARLY }).kind).toBe('duplicate');
    expect(step(after(manual, [ev.cancel()]), { type: 'DEADLINE_WARNING', at: EARLY }).kind).toBe('rejected');
  });

  it('a PayerMax order with no recorded success lapses at the deadline; a late success still captures it', () => {
    const payermax = orderInput({ acquirer: 'payermax' });
    const r = play(payermax, [ev.deadline(LATE), ev.success('acquirer-1', '1000')]);
    expect(r.all.map((o) => (o.kind === 'applied' ? o.to : o.kind))).toEqual(['autoCancelled', 'captured']);
    expect(r.snapshot.context.review?.reason).toMatch(/after the order was autoCancelled/);
  });
});

describe('cancel and review', () => {
  it.each([
    ['authorized', []],
    ['captureFailed', [ev.request('r1', '1000'), ev.failure('r1', 'USER_BALANCE_NOT_ENOUGH')]],
  ])('from %s the authorization is voided', (_, before) => {
    const r = play(manual, [...before, ev.cancel()]);
    expect(r.to).toBe('cancelled');
    expect(r.effects).toEqual([{ type: 'voidAuthorization' }, { type: 'emit', event: 'order.cancelled' }]);
    expect(step(r.snapshot, ev.cancel()).kind).toBe('duplicate');
  });

  it.each([
    ['capturePending', [ev.request('r1', '300')]],
    ['partiallyCaptured', [ev.request('r1', '300'), ev.success('r1', '300')]],
    ['captured', [ev.request('r1', '1000'), ev.success('r1', '1000')]],
  ])('from %s a cancel is refused with a reason', (state, before) => {
    expect(step(after(multi, before), ev.cancel())).toMatchObject({
      kind: 'rejected',
      state,
      reason: expect.stringMatching(/\S/),
    });
  });

  it('a review is opened once per reason and resolved by an operator', () => {
    const flagged = play(manual, [{ type: 'REVIEW_FLAGGED', reason: 'looks odd', at: EARLY }]);
    expect(flagged.snapshot.context.review).toEqual({ reason: 'looks odd', since: EARLY });
    expect(step(flagged.snapshot, { type: 'REVIEW_FLAGGED', reason: 'looks odd', at: LATE }).kind).toBe(
      'duplicate',
    );
    const resolved = step(flagged.snapshot, { type: 'REVIEW_RESOLVED', note: 'fine', at: EARLY });
    expect(resolved).toMatchObject({
      kind: 'applied',
      to: 'authorized',
      snapshot: { context: { review: null } },
    });
    if (resolved.kind !== 'applied') return;
    expect(step(resolved.snapshot, { type: 'REVIEW_RESOLVED', note: 'again', at: EARLY }).kind).toBe(
      'rejected',
    );
  });
});
