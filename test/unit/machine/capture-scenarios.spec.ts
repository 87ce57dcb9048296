/**
 * The money rules of docs/state-chart.md, one scenario each, through the production step(): the
 * acquirer is the truth for money, a failure never undoes a success, AUTOMATIC orders are
 * captured by the acquirer, single and multiple captures, full-capture-only methods.
 */
import type { CaptureEffect } from '../../../src/capture/machine/capture-types';
import { after, ev, LATE, orderInput, play, step } from './model';

const emitted = (effects: CaptureEffect[]) => effects.flatMap((e) => (e.type === 'emit' ? [e.event] : []));
const manual = orderInput();
const multi = orderInput({ multiCapture: true });
const automatic = orderInput({ captureMode: 'AUTOMATIC' });
const payermax = orderInput({ acquirer: 'payermax', multiCapture: true });

describe('the acquirer is the truth for money', () => {
  it.each([
    ['captureFailed', [ev.request('r1', '1000'), ev.failure('r1', 'USER_BALANCE_NOT_ENOUGH')]],
    ['autoCancelled (deadline)', [ev.deadline()]],
    ['autoCancelled (authorization gone)', [ev.request('r1', '1000'), ev.failure('r1', 'AUTH_EXPIRED')]],
    ['cancelled', [ev.cancel()]],
  ])('a late success after %s reaches captured, flagged for review', (_, before) => {
    const r = play(manual, [...before, ev.success('r1', '1000')]);
    expect(r.to).toBe('captured');
    expect(r.snapshot.context.capturedAmount).toBe('1000');
    expect(r.snapshot.context.review?.reason).toMatch(
      /success arrived after the order was (captureFailed|autoCancelled|cancelled)/,
    );
    expect(emitted(r.effects)).toEqual(['order.captured', 'order.review_required']);
  });

  it('a failure after a recorded success changes no money and opens a review', () => {
    const captured = after(manual, [ev.request('r1', '1000'), ev.success('r1', '1000')]);
    const r = step(captured, ev.failure('r1', 'PROCESS_FAIL'));
    expect(r).toMatchObject({ kind: 'applied', from: 'captured', to: 'captured' });
    if (r.kind !== 'applied') return;
    expect(r.snapshot.context.capturedAmount).toBe('1000');
    expect(r.snapshot.context.attempts.r1!.status).toBe('succeeded');
    expect(r.snapshot.context.review?.reason).toMatch(/already recorded as successful/);
    expect(step(r.snapshot, ev.failure('r1', 'PROCESS_FAIL')).kind).toBe('duplicate');
  });

  it('a failure of one partial capture keeps what an earlier one captured', () => {
    const r = play(multi, [
      ev.request('r1', '300'),
      ev.success('r1', '300'),
      ev.request('r2', '300'),
      ev.failure('r2', 'USER_BALANCE_NOT_ENOUGH'),
    ]);
    expect(r.to).toBe('partiallyCaptured');
    expect(r.snapshot.context.capturedAmount).toBe('300');
  });

  it('a repeated success is a duplicate that changes nothing', () => {
    const captured = after(manual, [ev.request('r1', '1000'), ev.success('r1', '1000')]);
    expect(step(captured, ev.success('r1', '1000'))).toEqual({
      kind: 'duplicate',
      state: 'captured',
      reason: expect.any(String),
    });
  });

  it('a success in another currency is flagged and not applied', () => {
    const pending = after(manual, [ev.request('r1', '1000')]);
    const r = step(pending, ev.success('r1', '1000', 'EUR'));
    expect(r).toMatchObject({ kind: 'applied', to: 'capturePending' });
    if (r.kind !== 'applied') return;
    expect(r.snapshot.context.capturedAmount).toBe('0');
    expect(r.snapshot.context.review?.reason).toMatch(/EUR.*USD.*not applied/);
  });

  it('a success for an amount other than requested is applied as reported, flagged', () => {
    const r = play(multi, [ev.request('r1', '500'), ev.success('r1', '400')]);
    expect(r.to).toBe('partiallyCaptured');
    expect(r.snapshot.context.capturedAmount).toBe('400');
    expect(r.snapshot.context.review?.reason).toMatch(/captured 400 where 500 was requested/);
  });

  it('a success that would exceed the authorization is flagged and not applied', () => {
    const partly = after(multi, [ev.request('r1', '600'), ev.success('r1', '600')]);
    const r = step(partly, ev.success('acq-x', '401'));
    expect(r).toMatchObject({ kind: 'applied', to: 'partiallyCaptured' });
    if (r.kind !== 'applied') return;
    expect(r.snapshot.context.capturedAmount).toBe('600');
    expect(r.snapshot.context.review?.reason).toMatch(/exceed the authorized amount/);
  });

  it('a MANUAL order applies a success for a request we never sent, flagged for review', () => {
    const r = play(manual, [ev.success('from-dashboard', '1000')]);
    expect(r.to).toBe('captured');
    expect(r.snapshot.context.review?.reason).toMatch(/never sent/);
    expect(r.snapshot.context.attempts['from-dashboard']).toMatchObject({ ours: false, status: 'succeeded' });
  });
});

describe('AUTOMATIC orders are captured by the acquirer', () => {
  it('accepts a success without a request from us, with no review', () => {
    const r = play(automatic, [ev.success('acq-1', '1000')]);
    expect(r.to).toBe('captured');
    expect(r.snapshot.context.review).toBeNull();
  });

  it('an in-process result moves it to capturePending, and the success completes it', () => {
    const r = play(automatic, [ev.pending('acq-1'), ev.success('acq-1', '1000')]);
    expect(r.all.map((o) => (o.kind === 'applied' ? o.to : o.kind))).toEqual(['capturePending', 'captured']);
    expect(r.snapshot.context.review).toBeNull();
  });

  it('never asks for a capture: our request is refused', () => {
    const r = step(after(automatic, []), ev.request('r1', '1000'));
    expect(r).toMatchObject({ kind: 'rejected', reason: expect.stringMatching(/AUTOMATIC/) });
  });
});

describe('single and multiple captures', () => {
  it('PayerMax allows one capture: its success is final whatever the amount', () => {
    const r = play(payermax, [ev.request('r1', '600'), ev.success('r1', '600')]);
    expect(r.to).toBe('captured');
    expect(r.all[0]).toMatchObject({ effects: [{ type: 'callCapture', isLast: true }] });
    expect(step(r.snapshot, ev.request('r2', '400')).kind).toBe('rejected');
  });

  it('a single-capture Antom method: the partial success is final too', () => {
    expect(play(manual, [ev.request('r1', '600'), ev.success('r1', '600')]).to).toBe('captured');
  });

  it('multi-capture: partials add up to the authorized amount, then captured', () => {
    const r = play(multi, [
      ev.request('r1', '300'),
      ev.success('r1', '300'),
      ev.request('r2', '300'),
      ev.success('r2', '300'),
      ev.request('r3', '400'),
      ev.success('r3', '400'),
    ]);
    expect(r.all.map((o) => (o.kind === 'applied' ? o.to : o.kind))).toEqual([
      'capturePending',
      'partiallyCaptured',
      'capturePending',
      'partiallyCaptured',
      'capturePending',
      'captured',
    ]);
    expect(r.snapshot.context.capturedAmount).toBe('1000');
    expect(r.all[4]).toMatchObject({ effects: [{ type: 'callCapture', isLast: true }] });
  });

  it('multi-capture: a request beyond what is left is refused', () => {
    const partly = after(multi, [ev.request('r1', '300'), ev.success('r1', '300')]);
    expect(step(partly, ev.request('r2', '701'))).toMatchObject({
      kind: 'rejected',
      reason: expect.stringMatching(/700/),
    });
    expect(step(partly, ev.request('r2', '700')).kind).toBe('applied');
  });

  it('multi-capture: a partial marked last ends the order as captured', () => {
    const r = play(multi, [ev.request('r1', '300', { isLast: true }), ev.success('r1', '300')]);
    expect(r.to).toBe('captured');
    expect(r.snapshot.context.capturedAmount).toBe('300');
  });

  it('full-capture-only: a partial request is refused, the full amount goes through', () => {
    const usCard = orderInput({ multiCapture: true, fullCaptureOnly: true });
    expect(step(after(usCard, []), ev.request('r1', '999'))).toMatchObject({
      kind: 'rejected',
      reason: expect.stringMatching(/full authorized amount \(1000\)/),
    });
    expect(play(usCard, [ev.request('r1', '1000'), ev.success('r1', '1000')]).to).toBe('captured');
  });

  it('a retry needs a new captureRequestId', () => {
    const failed = after(manual, [ev.request('r1', '1000'), ev.failure('r1', 'USER_BALANCE_NOT_ENOUGH')]);
    expect(step(failed, ev.request('r1', '1000')).kind).toBe('rejected');
    expect(step(failed, ev.request('r2', '1000', { at: '2025-01-07T23:59:59.999Z' })).kind).toBe('applied');
    expect(step(failed, ev.request('r2', '1000', { at: LATE })).kind).toBe('rejected');
  });
});

describe('captureRequestIds are opaque strings', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('%p works like any other id', (id) => {
    const r = play(multi, [ev.request(id, '300'), ev.success(id, '300')]);
    expect(r.to).toBe('partiallyCaptured');
    expect(r.snapshot.context.review).toBeNull();
    const restored = JSON.parse(JSON.stringify(r.snapshot)) as typeof r.snapshot;
    expect(step(restored, ev.success(id, '300')).kind).toBe('duplicate');
    expect(play(automatic, [ev.success(id, '1000')]).snapshot.context.review).toBeNull();
  });
});
