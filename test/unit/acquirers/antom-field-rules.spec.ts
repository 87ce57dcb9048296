import {
  validateAntomNotification,
  type AntomCaptureResult,
  type AntomNotification,
} from '../../../src/acquirers/antom/antom-notification';
import { ANTOM_APO_CAPTURE_JPY, ANTOM_CAPTURE_SUCCESSFUL } from '../../fixtures/seed-bodies';
import { chars, DELETE, edited, errorList, okValue, type Edit } from '../../support/body-edit';

const valid = (body: unknown): AntomNotification => okValue(validateAntomNotification(body));
const errorsOf = (body: unknown) => errorList(validateAntomNotification(body));

function capture(body: unknown): AntomCaptureResult {
  const n = valid(body);
  if (n.kind !== 'captureResult') throw new Error(`expected a capture result, got ${n.kind}`);
  return n.notification;
}

describe('Antom CAPTURE_RESULT field rules', () => {
  const base = edited(ANTOM_APO_CAPTURE_JPY, ['acquirerInfo.acquirerResultCode', 'SUCCESS']);
  const cases: [Edit, string, string][] = [
    [['notifyType', DELETE], 'notifyType', 'is required'],
    [['notifyType', 1], 'notifyType', 'must be a string'],
    [['notifyType', chars(65)], 'notifyType', 'must be at most 64 characters'],
    [['result', DELETE], 'result', 'is required'],
    [['result', 'S'], 'result', 'must be an object'],
    [['result.resultCode', DELETE], 'result.resultCode', 'is required'],
    [['result.resultCode', ''], 'result.resultCode', 'must not be empty'],
    [['result.resultCode', chars(65)], 'result.resultCode', 'must be at most 64 characters'],
    [['result.resultStatus', DELETE], 'result.resultStatus', 'is required'],
    [['result.resultStatus', 'U'], 'result.resultStatus', 'must be S or F'],
    [['result.resultStatus', 's'], 'result.resultStatus', 'must be S or F'],
    [['result.resultMessage', chars(257)], 'result.resultMessage', 'must be at most 256 characters'],
    [['result.resultMessage', 1], 'result.resultMessage', 'must be a string'],
    [['captureRequestId', DELETE], 'captureRequestId', 'is required'],
    [['captureRequestId', null], 'captureRequestId', 'is required'],
    [['captureRequestId', chars(65)], 'captureRequestId', 'must be at most 64 characters'],
    [['captureRequestId', 42], 'captureRequestId', 'must be a string'],
    [['paymentId', DELETE], 'paymentId', 'is required'],
    [['paymentId', chars(65)], 'paymentId', 'must be at most 64 characters'],
    [['captureId', DELETE], 'captureId', 'is required'],
    [['captureId', chars(65)], 'captureId', 'must be at most 64 characters'],
    [['captureAmount', DELETE], 'captureAmount', 'is required'],
    [['captureAmount', ['JPY', '120']], 'captureAmount', 'must be an object'],
    [['captureAmount.currency', DELETE], 'captureAmount.currency', 'is required'],
    [
      ['captureAmount.currency', 'jpy'],
      'captureAmount.currency',
      'must be a 3-letter ISO 4217 currency code',
    ],
    [
      ['captureAmount.currency', 'JPYX'],
      'captureAmount.currency',
      'must be a 3-letter ISO 4217 currency code',
    ],
    [['captureAmount.value', DELETE], 'captureAmount.value', 'is required'],
    [['captureAmount.value', 120], 'captureAmount.value', 'must be a string'],
    [['captureAmount.value', '0'], 'captureAmount.value', 'must be a positive integer string in minor units'],
    [
      ['captureAmount.value', '-120'],
      'captureAmount.value',
      'must be a positive integer string in minor units',
    ],
    [
      ['captureAmount.value', '1.20'],
      'captureAmount.value',
      'must be a positive integer string in minor units',
    ],
    [
      ['captureAmount.value', '0120'],
      'captureAmount.value',
      'must be a positive integer string in minor units',
    ],
    [
      ['captureAmount.value', '9223372036854775808'],
      'captureAmount.value',
      'must be a positive integer string in minor units',
    ],
    [['captureTime', 1668069292], 'captureTime', 'must be a string'],
    [['acquirerInfo', 'CHECKOUT'], 'acquirerInfo', 'must be an object'],
    ...[
      'acquirerName',
      'referenceRequestId',
      'acquirerMerchantId',
      'acquirerTransactionId',
      'acquirerResultCode',
      'acquirerResultMessage',
    ].map((name): [Edit, string, string] => [
      [`acquirerInfo.${name}`, chars(65)],
      `acquirerInfo.${name}`,
      'must be at most 64 characters',
    ]),
    [['acquirerInfo.acquirerName', 7], 'acquirerInfo.acquirerName', 'must be a string'],
    [['acquirerReferenceNo', chars(65)], 'acquirerReferenceNo', 'must be at most 64 characters'],
    [['acquirerReferenceNo', 5], 'acquirerReferenceNo', 'must be a string'],
  ];

  it.each(cases)('%j -> %s %s', (edit, field, rule) => {
    expect(errorsOf(edited(base, edit))).toEqual([{ field, rule }]);
  });

  it('accepts the limits exactly', () => {
    const n = capture(
      edited(
        base,
        ['captureRequestId', chars(64)],
        ['result.resultMessage', chars(256)],
        ['acquirerInfo.acquirerResultMessage', '\u00e9'.repeat(64)],
        ['captureAmount.value', '9223372036854775807'],
      ),
    );
    expect(n.captureRequestId).toHaveLength(64);
  });

  it('names every offending field at once', () => {
    const body = edited(
      base,
      ['result.resultStatus', 'X'],
      ['captureRequestId', DELETE],
      ['captureAmount.value', 120],
      ['captureAmount.currency', 'yen'],
      ['acquirerInfo.acquirerName', chars(65)],
    );
    expect(errorsOf(body).map((e) => e.field)).toEqual([
      'result.resultStatus',
      'captureRequestId',
      'captureAmount.currency',
      'captureAmount.value',
      'acquirerInfo.acquirerName',
    ]);
  });

  it('accepts absent or null optional fields and ignores fields it does not know', () => {
    const n = capture(
      edited(
        ANTOM_CAPTURE_SUCCESSFUL,
        ['result.resultMessage', DELETE],
        ['captureTime', null],
        ['acquirerInfo', null],
        ['paymentMethodType', 'CARD'],
      ),
    );
    expect(n).not.toHaveProperty('captureTime');
    expect(n).not.toHaveProperty('acquirerInfo');
    expect(n.result).toEqual({ resultCode: 'SUCCESS', resultStatus: 'S' });
  });

  it.each([null, [], 'text', 42])('rejects a body that is not an object: %j', (body) => {
    expect(errorsOf(body)).toEqual([{ field: 'body', rule: 'must be a JSON object' }]);
  });
});

describe('other Antom notify types', () => {
  const payment = {
    notifyType: 'PAYMENT_RESULT',
    result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' },
    paymentRequestId: 'PAY_1',
    paymentId: '2025XXXX',
    paymentAmount: { currency: 'SGD', value: '4200' },
    paymentCreateTime: '2025-03-16T19:27:19-07:00',
    paymentTime: '2025-03-16T19:27:19-07:00',
  };

  it('validates PAYMENT_RESULT', () => {
    const n = valid(payment);
    expect(n.kind).toBe('paymentResult');
    expect(valid(edited(payment, ['result.resultStatus', 'U'], ['paymentTime', DELETE])).kind).toBe(
      'paymentResult',
    );
  });

  it.each<[Edit, string, string]>([
    [['paymentRequestId', DELETE], 'paymentRequestId', 'is required'],
    [['paymentRequestId', chars(65)], 'paymentRequestId', 'must be at most 64 characters'],
    [['paymentId', DELETE], 'paymentId', 'is required'],
    [['paymentAmount', DELETE], 'paymentAmount', 'is required'],
    [['paymentAmount.value', '0'], 'paymentAmount.value', 'must be a positive integer string in minor units'],
    [['result.resultStatus', 'X'], 'result.resultStatus', 'must be S, F or U'],
    [['paymentTime', 5], 'paymentTime', 'must be a string'],
  ])('PAYMENT_RESULT %j -> %s %s', (edit, field, rule) => {
    expect(errorsOf(edited(payment, edit))).toEqual([{ field, rule }]);
  });

  it.each(['PAYMENT_PENDING', 'REFUND_RESULT', 'DISPUTE_NOTIFICATION'])(
    '%s is valid but unsupported',
    (type) => {
      expect(valid({ notifyType: type, anything: 1 })).toEqual({ kind: 'unsupported', notifyType: type });
    },
  );
});
