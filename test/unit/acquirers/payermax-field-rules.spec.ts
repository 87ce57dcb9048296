import {
  payermaxTimeToIso,
  validatePayermaxCaptureNotification,
  type PayermaxCaptureNotification,
  type PayermaxNotificationOptions,
} from '../../../src/acquirers/payermax/payermax-notification';
import { PAYERMAX_CAPTURE_SUCCESS } from '../../fixtures/seed-bodies';
import { chars, DELETE, edited, errorList, okValue, type Edit } from '../../support/body-edit';

const USD_20 = { currency: 'USD', value: '2000' };
const valid = (body: unknown, options?: PayermaxNotificationOptions): PayermaxCaptureNotification =>
  okValue(validatePayermaxCaptureNotification(body, options));
const errorsOf = (body: unknown, options?: PayermaxNotificationOptions) =>
  errorList(validatePayermaxCaptureNotification(body, options));

/** The seed sample with every optional field filled in. */
const full = edited(
  PAYERMAX_CAPTURE_SUCCESS,
  ['code', 'APPLY_SUCCESS'],
  ['msg', 'Success.'],
  ['data.amount', '20.00'],
  ['data.currency', 'USD'],
);

describe('PayerMax field rules', () => {
  const cases: [Edit, string, string][] = [
    [['code', chars(33)], 'code', 'must be at most 32 characters'],
    [['code', 200], 'code', 'must be a string'],
    [['msg', chars(257)], 'msg', 'must be at most 256 characters'],
    [['keyVersion', DELETE], 'keyVersion', 'is required'],
    [['keyVersion', 1], 'keyVersion', 'must be a string'],
    [['appId', DELETE], 'appId', 'is required'],
    [['appId', ''], 'appId', 'must not be empty'],
    [['merchantNo', chars(33)], 'merchantNo', 'must be at most 32 characters'],
    [['notifyTime', DELETE], 'notifyTime', 'is required'],
    [['notifyTime', '2023-07-23T00:00:01.123456789+08:00'], 'notifyTime', 'must be at most 32 characters'],
    [
      ['notifyTime', '23/07/2023 00:00:01'],
      'notifyTime',
      'must be an RFC 3339 date-time (e.g. 2023-07-23T00:00:01.000+00:00)',
    ],
    [['notifyType', DELETE], 'notifyType', 'is required'],
    [['notifyType', 'PAYMENT'], 'notifyType', 'must be CAPTURE'],
    [['data', DELETE], 'data', 'is required'],
    [['data', []], 'data', 'must be an object'],
    [['data.captureNo', DELETE], 'data.captureNo', 'is required'],
    [['data.captureNo', chars(65)], 'data.captureNo', 'must be at most 64 characters'],
    [['data.requestId', DELETE], 'data.requestId', 'is required'],
    [['data.requestId', chars(65)], 'data.requestId', 'must be at most 64 characters'],
    [['data.outTradeNo', DELETE], 'data.outTradeNo', 'is required'],
    [['data.outTradeNo', chars(33)], 'data.outTradeNo', 'must be at most 32 characters'],
    [['data.amount', 20], 'data.amount', 'must be a string'],
    [['data.currency', 'usd'], 'data.currency', 'must be a 3-letter ISO 4217 currency code'],
    [['data.currency', DELETE], 'data.currency', 'is required when data.amount is present'],
    [['data.currency', 840], 'data.currency', 'must be a string'],
    [['data.status', DELETE], 'data.status', 'is required'],
    [['data.status', 'CLOSED'], 'data.status', 'must be SUCCESS, FAILED or PENDING'],
    [['data.status', 'success'], 'data.status', 'must be SUCCESS, FAILED or PENDING'],
    [['data.isFinal', DELETE], 'data.isFinal', 'is required'],
    [['data.isFinal', 'yes'], 'data.isFinal', 'must be True or False (a string or a boolean)'],
    [['data.isFinal', 1], 'data.isFinal', 'must be True or False (a string or a boolean)'],
    [['data.createdTime', DELETE], 'data.createdTime', 'is required'],
    [['data.succeededTime', 1691365859], 'data.succeededTime', 'must be a string'],
    [['data.failedTime', false], 'data.failedTime', 'must be a string'],
    [['data.errorCode', 500], 'data.errorCode', 'must be a string'],
    [['data.errorMsg', {}], 'data.errorMsg', 'must be a string'],
  ];

  it.each(cases)('%j -> %s %s', (edit, field, rule) => {
    expect(errorsOf(edited(full, edit))).toEqual([{ field, rule }]);
  });

  it('reports both rules of a notifyType that is too long and not CAPTURE', () => {
    expect(errorsOf(edited(full, ['notifyType', chars(17)]))).toEqual([
      { field: 'notifyType', rule: 'must be at most 16 characters' },
      { field: 'notifyType', rule: 'must be CAPTURE' },
    ]);
  });

  it('reports an over-long amount, which is also not a 64-bit amount', () => {
    expect(errorsOf(edited(full, ['data.amount', '1'.repeat(1025)]))).toEqual([
      { field: 'data.amount', rule: 'must be at most 1024 characters' },
      {
        field: 'data.amount',
        rule: 'must be a positive decimal amount in major units with at most 2 decimals for USD',
      },
    ]);
  });

  it('names every offending field at once', () => {
    const body = edited(
      full,
      ['appId', DELETE],
      ['notifyTime', 'now'],
      ['data.status', 'DONE'],
      ['data.amount', '20.001'],
      ['data.captureNo', null],
    );
    expect(errorsOf(body).map((e) => e.field)).toEqual([
      'appId',
      'notifyTime',
      'data.captureNo',
      'data.amount',
      'data.status',
    ]);
  });

  it.each([null, [], '{}'])('rejects a body that is not an object: %j', (body) => {
    expect(errorsOf(body)).toEqual([{ field: 'body', rule: 'must be a JSON object' }]);
  });

  it('treats explicit nulls of optional fields as absent and ignores unknown fields', () => {
    const n = valid(edited(full, ['merchantNo', null], ['data.errorMsg', null], ['data.extra', 'x']));
    expect(n).not.toHaveProperty('merchantNo');
    expect(n.data).not.toHaveProperty('errorMsg');
  });

  it.each<[unknown, boolean]>([
    ['True', true],
    ['False', false],
    ['TRUE', true],
    ['false', false],
    [true, true],
    [false, false],
  ])('reads isFinal %j as %s', (value, expected) => {
    expect(valid(edited(full, ['data.isFinal', value])).data.isFinal).toBe(expected);
  });
});

describe('PayerMax amounts (major units, converted by money.ts)', () => {
  it.each([
    ['20.00', 'USD', '2000'],
    ['20.5', 'USD', '2050'],
    ['20', 'USD', '2000'],
    ['120', 'JPY', '120'],
    ['120.0', 'JPY', '120'],
    ['1.234', 'KWD', '1234'],
  ])('%s %s is %s minor units', (amount, currency, minor) => {
    const n = valid(edited(full, ['data.amount', amount], ['data.currency', currency]));
    expect(n.data.captureAmount).toEqual({ currency, value: minor });
    expect(n.data.amount).toBe(amount);
  });

  it.each([
    ['20.001', 'USD', 'must be a positive decimal amount in major units with at most 2 decimals for USD'],
    ['1.5', 'JPY', 'must be a positive decimal amount in major units with at most 0 decimals for JPY'],
    ['0.00', 'USD', 'must be a positive decimal amount in major units with at most 2 decimals for USD'],
    ['-1', 'USD', 'must be a positive decimal amount in major units with at most 2 decimals for USD'],
    ['1e3', 'USD', 'must be a positive decimal amount in major units with at most 2 decimals for USD'],
    ['abc', 'USD', 'must be a positive decimal amount in major units with at most 2 decimals for USD'],
  ])('refuses %s %s', (amount, currency, rule) => {
    expect(errorsOf(edited(full, ['data.amount', amount], ['data.currency', currency]))).toEqual([
      { field: 'data.amount', rule },
    ]);
  });

  it('keeps a currency sent without an amount', () => {
    const n = valid(edited(full, ['data.amount', DELETE]));
    expect(n.data.currency).toBe('USD');
    expect(n.data).not.toHaveProperty('captureAmount');
  });

  it('can be configured to read minor units, since the unit is unconfirmed', () => {
    expect(valid(edited(full, ['data.amount', '2000']), { amountUnit: 'minor' }).data.captureAmount).toEqual(
      USD_20,
    );
    expect(errorsOf(edited(full, ['data.amount', '20.00']), { amountUnit: 'minor' })).toEqual([
      { field: 'data.amount', rule: 'must be a positive integer string in minor units' },
    ]);
  });
});

describe('PayerMax notifyTime', () => {
  it.each([
    ['2023-07-23T00:00:01 +0000', '2023-07-23T00:00:01.000Z'],
    ['2023-07-23T08:00:01.500+08:00', '2023-07-23T00:00:01.500Z'],
    ['2023-07-23T00:00:01Z', '2023-07-23T00:00:01.000Z'],
    ['2023-07-22T22:30:01.123456-0130', '2023-07-23T00:00:01.123Z'],
  ])('accepts %s', (text, iso) => {
    expect(payermaxTimeToIso(text)).toBe(iso);
    expect(valid(edited(full, ['notifyTime', text])).notifyTime).toBe(text);
  });

  it.each([
    '2023-07-23',
    '2023-13-01T00:00:00Z',
    '2023-02-30T00:00:00Z',
    '2023-07-23T24:00:00Z',
    '2023-07-23T00:00:01',
  ])('refuses %s', (text) => {
    expect(payermaxTimeToIso(text)).toBeUndefined();
  });
});
