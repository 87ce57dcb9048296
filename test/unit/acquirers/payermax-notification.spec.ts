import {
  payermaxCaptureEvent,
  payermaxDedupeKey,
  validatePayermaxCaptureNotification,
  type PayermaxCaptureNotification,
  type PayermaxNotificationOptions,
} from '../../../src/acquirers/payermax/payermax-notification';
import { PAYERMAX_CAPTURE_SUCCESS } from '../../fixtures/seed-bodies';
import { DELETE, edited, okValue } from '../../support/body-edit';

const AT = '2023-08-06T23:51:00.000Z';
const USD_20 = { currency: 'USD', value: '2000' };
const valid = (body: unknown, options?: PayermaxNotificationOptions): PayermaxCaptureNotification =>
  okValue(validatePayermaxCaptureNotification(body, options));

/** The seed sample with every optional field filled in. */
const full = edited(
  PAYERMAX_CAPTURE_SUCCESS,
  ['code', 'APPLY_SUCCESS'],
  ['msg', 'Success.'],
  ['data.amount', '20.00'],
  ['data.currency', 'USD'],
);

describe('the PayerMax seed sample (seed 004)', () => {
  it('validates although it omits code, msg, amount and currency', () => {
    expect(valid(JSON.parse(PAYERMAX_CAPTURE_SUCCESS))).toEqual({
      keyVersion: '1',
      appId: '5f843bfc8cec49c2b8e9e99847325548',
      merchantNo: 'P01010114418097',
      notifyTime: '2023-07-23T00:00:01 +0000',
      notifyType: 'CAPTURE',
      data: {
        captureNo: '20230806235954ED7856775040587834005',
        requestId: 'xxxxx',
        outTradeNo: 'xxxxxxxx',
        status: 'SUCCESS',
        isFinal: true,
        createdTime: '2023-08-06T23:50:59 +0000',
        succeededTime: '2023-08-06T23:50:59 +0000',
      },
    });
  });

  it('becomes CAPTURE_SUCCEEDED with the caller-supplied amount', () => {
    const n = valid(JSON.parse(PAYERMAX_CAPTURE_SUCCESS));
    expect(payermaxCaptureEvent(n, AT, USD_20)).toEqual({
      ok: true,
      event: {
        type: 'CAPTURE_SUCCEEDED',
        captureRequestId: 'xxxxx',
        captureId: '20230806235954ED7856775040587834005',
        amount: USD_20,
        resultCode: 'SUCCESS',
        at: AT,
      },
    });
    expect(payermaxCaptureEvent(n, AT)).toEqual({
      ok: false,
      reason: 'the notification carries no amount and no fallback was given',
    });
  });
});

describe('PayerMax notifications as machine events', () => {
  it('SUCCESS uses the notified amount over the fallback (the acquirer is the truth)', () => {
    const n = valid(full);
    const mapped = payermaxCaptureEvent(n, AT, { currency: 'USD', value: '1999' });
    expect(mapped).toEqual({ ok: true, event: expect.objectContaining({ amount: USD_20 }) });
  });

  it('SUCCESS with a currency that contradicts the fallback is not guessed at', () => {
    const n = valid(edited(full, ['data.amount', DELETE], ['data.currency', 'EUR']));
    expect(payermaxCaptureEvent(n, AT, USD_20)).toEqual({
      ok: false,
      reason: "the notification's currency EUR differs from USD",
    });
  });

  it('FAILED becomes CAPTURE_FAILED with errorCode, or FAILED when there is none', () => {
    const failed = edited(
      full,
      ['data.status', 'FAILED'],
      ['data.errorCode', 'AUTH_EXPIRED'],
      ['data.errorMsg', 'x'],
    );
    expect(payermaxCaptureEvent(valid(failed), AT)).toEqual({
      ok: true,
      event: {
        type: 'CAPTURE_FAILED',
        captureRequestId: 'xxxxx',
        resultCode: 'AUTH_EXPIRED',
        resultMessage: 'x',
        at: AT,
      },
    });
    const bare = edited(full, ['data.status', 'FAILED'], ['data.errorCode', null]);
    expect(payermaxCaptureEvent(valid(bare), AT)).toEqual({
      ok: true,
      event: { type: 'CAPTURE_FAILED', captureRequestId: 'xxxxx', resultCode: 'FAILED', at: AT },
    });
  });

  it('PENDING becomes CAPTURE_PENDING', () => {
    const n = valid(edited(full, ['data.status', 'PENDING'], ['data.isFinal', 'False']));
    expect(payermaxCaptureEvent(n, AT)).toEqual({
      ok: true,
      event: { type: 'CAPTURE_PENDING', captureRequestId: 'xxxxx', resultCode: 'PENDING', at: AT },
    });
  });
});

describe('PayerMax dedupe keys', () => {
  const success = valid(JSON.parse(PAYERMAX_CAPTURE_SUCCESS));

  it('is payermax:<requestId>:<captureNo>:<status>', () => {
    expect(payermaxDedupeKey(success)).toBe('payermax:xxxxx:20230806235954ED7856775040587834005:SUCCESS');
  });

  it('collides for a retry and differs for another status', () => {
    const retry = valid(edited(PAYERMAX_CAPTURE_SUCCESS, ['notifyTime', '2023-07-23T00:00:31 +0000']));
    const pending = valid(edited(PAYERMAX_CAPTURE_SUCCESS, ['data.status', 'PENDING']));
    expect(payermaxDedupeKey(retry)).toBe(payermaxDedupeKey(success));
    expect(payermaxDedupeKey(pending)).not.toBe(payermaxDedupeKey(success));
  });

  it('cannot be forged by ids that contain the separator', () => {
    const a = valid(edited(PAYERMAX_CAPTURE_SUCCESS, ['data.requestId', 'r:1'], ['data.captureNo', 'c']));
    const b = valid(edited(PAYERMAX_CAPTURE_SUCCESS, ['data.requestId', 'r'], ['data.captureNo', '1:c']));
    expect(payermaxDedupeKey(a)).not.toBe(payermaxDedupeKey(b));
  });
});
