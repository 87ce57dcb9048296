/**
 * One classification of every capture result code (docs/acquirers.md), used by the machine, the
 * webhook, the acquirer clients and the scheduler alike. Codes we have never seen are treated
 * as needing a human: retrying an unknown failure could capture twice or hide a problem.
 */
export type ResultClass = 'success' | 'retry' | 'authGone' | 'needsHuman' | 'inProcess';

export const RESULT_CODES: Readonly<Record<string, ResultClass>> = {
  SUCCESS: 'success',
  // U: the capture may still happen; wait for the notification or inquire.
  CAPTURE_IN_PROCESS: 'inProcess',
  PAYMENT_IN_PROCESS: 'inProcess',
  UNKNOWN_EXCEPTION: 'inProcess',
  // The authorization is gone: no capture can ever succeed.
  AUTH_CANCELLED: 'authGone',
  AUTH_EXPIRED: 'authGone',
  ORDER_IS_CANCELED: 'authGone',
  // A new captureRequestId may succeed where this one failed.
  USER_BALANCE_NOT_ENOUGH: 'retry',
  // The captureRequestId already exists with other parameters: the first request under it may
  // have captured, so a retry under a new id could capture twice. A person must look.
  REPEAT_REQ_INCONSISTENT: 'needsHuman',
  // Antom's reference says to contact support, fix the request, or not to retry.
  ACCESS_DENIED: 'needsHuman',
  AUTH_NOT_FOUND: 'needsHuman',
  CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT: 'needsHuman',
  CURRENCY_NOT_SUPPORT: 'needsHuman',
  INVALID_CONTRACT: 'needsHuman',
  MULTI_CAPTURE_NOT_SUPPORTED: 'needsHuman',
  NO_PAY_OPTIONS: 'needsHuman',
  ORDER_STATUS_INVALID: 'needsHuman',
  PARAM_ILLEGAL: 'needsHuman',
  PAYMENT_COUNT_EXCEED_LIMIT: 'needsHuman',
  PROCESS_FAIL: 'needsHuman',
  RISK_REJECT: 'needsHuman',
  USER_AMOUNT_EXCEED_LIMIT: 'needsHuman',
  USER_NOT_EXIST: 'needsHuman',
  USER_STATUS_ABNORMAL: 'needsHuman',
};

export function classifyResultCode(code: string | undefined | null): ResultClass {
  // hasOwn: a code is acquirer input, and "constructor" or "__proto__" must not reach Object.prototype.
  if (!code || !Object.hasOwn(RESULT_CODES, code)) return 'needsHuman';
  return RESULT_CODES[code] ?? 'needsHuman';
}

/** The class of a failure: a failed attempt is never "success" or "inProcess" here. */
export function classifyFailure(code: string | undefined | null): 'retry' | 'authGone' | 'needsHuman' {
  const c = classifyResultCode(code);
  return c === 'retry' || c === 'authGone' ? c : 'needsHuman';
}
