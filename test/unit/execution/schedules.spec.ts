/** The pure timing rules behind inquiries and retries. */
import fc from 'fast-check';
import {
  lastInquiryLeadMs,
  nextInquiryAt,
  scheduledInquiryAfter,
} from '../../../src/capture/schedule/inquiry-schedule';
import { retryPlan } from '../../../src/capture/schedule/retry-policy';
import type { AttemptRecord, CaptureContext } from '../../../src/capture/machine/capture-types';

const T0 = Date.parse('2030-01-01T00:00:00Z');
const at = (ms: number) => new Date(T0 + ms);
const BACKOFF = [15_000, 60_000, 300_000];
const FAR = at(7 * 86_400_000);

describe('nextInquiryAt', () => {
  it('waits the delay of the inquiry count, the last delay repeating', () => {
    expect(nextInquiryAt(at(0), 0, FAR, BACKOFF)).toEqual(at(15_000));
    expect(nextInquiryAt(at(0), 1, FAR, BACKOFF)).toEqual(at(60_000));
    expect(nextInquiryAt(at(0), 2, FAR, BACKOFF)).toEqual(at(300_000));
    expect(nextInquiryAt(at(0), 9, FAR, BACKOFF)).toEqual(at(300_000));
  });

  it('never goes past the deadline: the last inquiry comes just before it, then none', () => {
    const deadline = at(100_000);
    const lastSlot = at(100_000 - lastInquiryLeadMs(BACKOFF));
    expect(nextInquiryAt(at(0), 2, deadline, BACKOFF)).toEqual(lastSlot);
    expect(nextInquiryAt(lastSlot, 2, deadline, BACKOFF)).toBeNull();
    expect(nextInquiryAt(at(200_000), 0, deadline, BACKOFF)).toBeNull();
  });

  it('property: an inquiry is always after `from` and before the deadline', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (from, count, deadline) => {
          const next = nextInquiryAt(at(from), count, at(deadline), BACKOFF);
          if (next) {
            expect(next.getTime()).toBeGreaterThan(T0 + from);
            expect(next.getTime()).toBeLessThan(T0 + deadline);
          }
        },
      ),
    );
  });
});

describe('scheduledInquiryAfter (AUTOMATIC orders)', () => {
  it('falls on origin, origin + b0, + b1, ... and returns the first point after `after`', () => {
    expect(scheduledInquiryAfter(at(0), at(-1), FAR, BACKOFF)).toEqual(at(0));
    expect(scheduledInquiryAfter(at(0), at(0), FAR, BACKOFF)).toEqual(at(15_000));
    expect(scheduledInquiryAfter(at(0), at(15_000), FAR, BACKOFF)).toEqual(at(75_000));
    expect(scheduledInquiryAfter(at(0), at(80_000), FAR, BACKOFF)).toEqual(at(375_000));
    expect(scheduledInquiryAfter(at(0), at(375_000), FAR, BACKOFF)).toEqual(at(675_000));
  });

  it('jumps over a long outage arithmetically (tiny delays, a week away)', () => {
    const next = scheduledInquiryAfter(at(0), at(604_000_000), at(10 * 86_400_000), [1, 1]);
    expect(next).toEqual(at(604_000_001));
  });

  it('stops at the last slot before the deadline', () => {
    const deadline = at(100_000);
    expect(scheduledInquiryAfter(at(0), at(20_000), deadline, BACKOFF)).toEqual(at(75_000));
    expect(scheduledInquiryAfter(at(0), at(75_000), deadline, BACKOFF)).toEqual(at(85_000));
    expect(scheduledInquiryAfter(at(0), at(85_000), deadline, BACKOFF)).toBeNull();
  });
});

describe('retryPlan', () => {
  const ctx = (...attempts: Partial<AttemptRecord>[]): CaptureContext => ({
    acquirer: 'antom',
    currency: 'USD',
    authorizedAmount: '1000',
    capturedAmount: '0',
    captureMode: 'MANUAL',
    multiCapture: false,
    fullCaptureOnly: false,
    captureDeadline: FAR.toISOString(),
    deadlineWarned: false,
    review: null,
    attempts: Object.fromEntries(
      attempts.map((a, i) => [
        `cr_${i}`,
        { amount: '1000', status: 'failed', ours: true, isLast: true, ...a },
      ]),
    ),
  });

  it('retries a retryable failure with the same amount', () => {
    expect(
      retryPlan(ctx({ resultCode: 'USER_BALANCE_NOT_ENOUGH', amount: '700', isLast: false }), 3),
    ).toEqual({
      kind: 'retry',
      amount: '700',
      isLast: false,
      retriesSoFar: 0,
    });
  });

  it.each(['PROCESS_FAIL', 'REPEAT_REQ_INCONSISTENT', 'AUTH_EXPIRED', 'SOMETHING_NEW', undefined])(
    'never retries %s',
    (code) => {
      expect(retryPlan(ctx({ resultCode: code }), 3).kind).toBe('none');
    },
  );

  it('counts the failures in a row, not those before a success', () => {
    const f = { resultCode: 'USER_BALANCE_NOT_ENOUGH' };
    expect(retryPlan(ctx(f, f, f), 2).kind).toBe('none');
    expect(retryPlan(ctx(f, f), 2)).toMatchObject({ kind: 'retry', retriesSoFar: 1 });
    expect(retryPlan(ctx(f, f, { status: 'succeeded', amount: '1' }, f), 2)).toMatchObject({
      kind: 'retry',
      retriesSoFar: 0,
    });
  });

  it("ignores the acquirer's own captures and needs a failure last", () => {
    expect(retryPlan(ctx({ status: 'pending' }), 3).kind).toBe('none');
    expect(retryPlan(ctx({ resultCode: 'USER_BALANCE_NOT_ENOUGH', ours: false }), 3).kind).toBe('none');
  });
});
