/**
 * Every capture result code of Antom's notifyCapture reference ("Result/Error codes") is
 * classified, in a way that agrees with its result status and further action (docs/acquirers.md).
 */
import {
  classifyFailure,
  classifyResultCode,
  RESULT_CODES,
  type ResultClass,
} from '../../src/capture/machine/result-codes';

type SeedStatus = 'S' | 'F' | 'U';

/**
 * The seed's table, code / status / what we make of its "further action". Non-obvious calls:
 * USER_BALANCE_NOT_ENOUGH (the buyer's balance can change) is retried with a new
 * captureRequestId; REPEAT_REQ_INCONSISTENT (the id already exists with other parameters, so
 * the first request may have captured) needs a person, since a new id could capture twice;
 * "use a new paymentRequestId" means this authorization is gone.
 */
const SEED_000: readonly [string, SeedStatus, ResultClass][] = [
  ['SUCCESS', 'S', 'success'],
  ['ACCESS_DENIED', 'F', 'needsHuman'],
  ['AUTH_CANCELLED', 'F', 'authGone'],
  ['AUTH_EXPIRED', 'F', 'authGone'],
  ['AUTH_NOT_FOUND', 'F', 'needsHuman'],
  ['CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT', 'F', 'needsHuman'],
  ['CAPTURE_IN_PROCESS', 'U', 'inProcess'],
  ['CURRENCY_NOT_SUPPORT', 'F', 'needsHuman'],
  ['INVALID_CONTRACT', 'F', 'needsHuman'],
  ['MULTI_CAPTURE_NOT_SUPPORTED', 'F', 'needsHuman'],
  ['NO_PAY_OPTIONS', 'F', 'needsHuman'],
  ['ORDER_IS_CANCELED', 'F', 'authGone'],
  ['ORDER_STATUS_INVALID', 'F', 'needsHuman'],
  ['PARAM_ILLEGAL', 'F', 'needsHuman'],
  ['PAYMENT_COUNT_EXCEED_LIMIT', 'F', 'needsHuman'],
  ['PROCESS_FAIL', 'F', 'needsHuman'],
  ['REPEAT_REQ_INCONSISTENT', 'F', 'needsHuman'],
  ['RISK_REJECT', 'F', 'needsHuman'],
  ['USER_AMOUNT_EXCEED_LIMIT', 'F', 'needsHuman'],
  ['USER_BALANCE_NOT_ENOUGH', 'F', 'retry'],
  ['USER_NOT_EXIST', 'F', 'needsHuman'],
  ['USER_STATUS_ABNORMAL', 'F', 'needsHuman'],
  ['UNKNOWN_EXCEPTION', 'U', 'inProcess'],
];

/** Codes the table knows from elsewhere: inquiryPayment's in-process answer (capture guide). */
const OTHER_SEEDS = ['PAYMENT_IN_PROCESS'];

describe('result codes', () => {
  it.each(SEED_000)('%s (%s) is classified as %s', (code, _status, expected) => {
    expect(classifyResultCode(code)).toBe(expected);
  });

  it.each(SEED_000)('%s (%s): the class agrees with the seed status', (code, status) => {
    const allowed: Record<SeedStatus, ResultClass[]> = {
      S: ['success'],
      U: ['inProcess'],
      F: ['retry', 'authGone', 'needsHuman'],
    };
    expect(allowed[status]).toContain(classifyResultCode(code));
  });

  it('the table holds the seed codes and nothing invented', () => {
    expect(Object.keys(RESULT_CODES).sort()).toEqual([...SEED_000.map(([c]) => c), ...OTHER_SEEDS].sort());
    expect(classifyResultCode('PAYMENT_IN_PROCESS')).toBe('inProcess');
  });

  it.each([
    'SOMETHING_NEW',
    'success',
    'auth_expired',
    ' AUTH_EXPIRED',
    '',
    undefined,
    null,
    'constructor',
    'toString',
    '__proto__',
  ])('an unknown code %p needs a human (never retried blindly, never success)', (code) => {
    expect(classifyResultCode(code)).toBe('needsHuman');
  });

  describe('classifyFailure: a failed attempt is retry, authGone or needsHuman', () => {
    it.each(SEED_000)('%s', (code, _status, expected) => {
      const failure = classifyFailure(code);
      expect(['retry', 'authGone', 'needsHuman']).toContain(failure);
      if (expected === 'retry' || expected === 'authGone') expect(failure).toBe(expected);
      else expect(failure).toBe('needsHuman');
    });

    it('an unknown or missing failure code needs a human', () => {
      expect([classifyFailure('NEW_CODE'), classifyFailure(undefined), classifyFailure(null)]).toEqual([
        'needsHuman',
        'needsHuman',
        'needsHuman',
      ]);
    });
  });
});
