/**
 * PayerMax capture notifications (docs/acquirers.md): field rules, the typed result, the
 * machine event, and the dedupe key.
 *
 * Tolerances, each forced by PayerMax's reference itself: its own sample omits `code`, `msg`,
 * `data.amount` and `data.currency` although the table marks them required; `isFinal` arrives
 * as "True"/"False" or as a JSON boolean; `notifyTime` is not strict RFC 3339
 * (`2023-07-23T00:00:01 +0000`); optional fields arrive as explicit nulls.
 */
import type { CaptureEvent, Money } from '../../capture/machine/capture-types';
import { currencyExponent, decimalToMinor, isCurrencyCode, isMinorUnits } from '../../capture/money/money';
import {
  boundedKey,
  compact,
  FieldChecker,
  isJsonObject,
  keyPart,
  RULES,
  type Validated,
} from '../validation';

const PAYERMAX_CAPTURE = 'CAPTURE';
const PAYERMAX_CAPTURE_STATUSES = ['SUCCESS', 'FAILED', 'PENDING'] as const;
type PayermaxCaptureStatus = (typeof PAYERMAX_CAPTURE_STATUSES)[number];

interface PayermaxCaptureData {
  captureNo: string;
  requestId: string;
  outTradeNo: string;
  /** As sent: a decimal in major units (UNCONFIRMED; see PayermaxNotificationOptions). */
  amount?: string;
  currency?: string;
  /** amount + currency in minor units, present when both were sent. */
  captureAmount?: Money;
  status: PayermaxCaptureStatus;
  isFinal: boolean;
  createdTime: string;
  succeededTime?: string;
  failedTime?: string;
  errorCode?: string;
  errorMsg?: string;
}

export interface PayermaxCaptureNotification {
  code?: string;
  msg?: string;
  keyVersion: string;
  appId: string;
  merchantNo?: string;
  notifyTime: string;
  notifyType: typeof PAYERMAX_CAPTURE;
  data: PayermaxCaptureData;
}

export interface PayermaxNotificationOptions {
  /**
   * The unit of `data.amount`. PayerMax leaves it UNCONFIRMED (probably major units, like
   * the order's totalAmount), so it is a setting for configuration to expose, not a constant.
   */
  amountUnit?: 'major' | 'minor';
}

/** RFC 3339, plus the seed's variant with a space before a colon-less offset. */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})? ?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

type Six<T> = [T, T, T, T, T, T];

/** A PayerMax timestamp as ISO 8601 UTC, or undefined when it is not one. */
export function payermaxTimeToIso(text: string): string | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  // The pattern's first six groups are required.
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as Six<number>;
  const offsetH = m[8] ? 0 : Number(m[10]);
  const offsetM = m[8] ? 0 : Number(m[11]);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 60 || offsetH > 23 || offsetM > 59) {
    return undefined;
  }
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(local).getUTCDate() !== day) return undefined;
  const sign = m[9] === '-' ? -1 : 1;
  const millis = Number((m[7] ?? '.').slice(1).padEnd(3, '0').slice(0, 3));
  return new Date(local + millis - sign * (offsetH * 60 + offsetM) * 60_000).toISOString();
}

/** "True"/"False" in any case, or a JSON boolean (the seed's table and sample disagree). */
function finalFlag(f: FieldChecker, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === undefined || value === null) f.fail('data.isFinal', RULES.required);
  else if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  else f.fail('data.isFinal', 'must be True or False (a string or a boolean)');
  return false;
}

/** Validates a parsed JSON body (parse it only after the signature verified). */
export function validatePayermaxCaptureNotification(
  body: unknown,
  options: PayermaxNotificationOptions = {},
): Validated<PayermaxCaptureNotification> {
  if (!isJsonObject(body)) return { ok: false, errors: [{ field: 'body', rule: RULES.body }] };
  const f = new FieldChecker();
  const code = f.opt('code', body.code, 32);
  const msg = f.opt('msg', body.msg, 256);
  const keyVersion = f.req('keyVersion', body.keyVersion);
  const appId = f.req('appId', body.appId);
  const merchantNo = f.opt('merchantNo', body.merchantNo, 32);
  const notifyTime = f.req('notifyTime', body.notifyTime, 32);
  if (notifyTime !== '' && payermaxTimeToIso(notifyTime) === undefined) {
    f.fail('notifyTime', 'must be an RFC 3339 date-time (e.g. 2023-07-23T00:00:01.000+00:00)');
  }
  const notifyType = f.req('notifyType', body.notifyType, 16);
  if (notifyType !== '' && notifyType !== PAYERMAX_CAPTURE)
    f.fail('notifyType', RULES.oneOf([PAYERMAX_CAPTURE]));
  const data = captureData(f, body.data, options);
  return f.done(
    compact<PayermaxCaptureNotification>({
      code,
      msg,
      keyVersion,
      appId,
      merchantNo,
      notifyTime,
      notifyType: PAYERMAX_CAPTURE,
      data,
    }),
  );
}

function captureData(
  f: FieldChecker,
  value: unknown,
  options: PayermaxNotificationOptions,
): PayermaxCaptureData {
  const d = f.obj('data', value, true);
  const captureNo = f.req('data.captureNo', d.captureNo, 64);
  const requestId = f.req('data.requestId', d.requestId, 64);
  const outTradeNo = f.req('data.outTradeNo', d.outTradeNo, 32);
  const amount = f.opt('data.amount', d.amount, 1024);
  const currency = f.opt('data.currency', d.currency);
  if (currency !== undefined && !isCurrencyCode(currency)) f.fail('data.currency', RULES.currency);
  let captureAmount: Money | undefined;
  if (amount !== undefined && (d.currency === undefined || d.currency === null)) {
    f.fail('data.currency', 'is required when data.amount is present');
  } else if (amount !== undefined && currency !== undefined && isCurrencyCode(currency)) {
    const unit = options.amountUnit ?? 'major';
    const minor = toMinor(amount, currency, unit);
    if (minor === undefined) f.fail('data.amount', amountRule(currency, unit));
    else captureAmount = { currency, value: minor };
  }
  return compact<PayermaxCaptureData>({
    captureNo,
    requestId,
    outTradeNo,
    amount,
    currency,
    captureAmount,
    status: f.oneOf('data.status', d.status, PAYERMAX_CAPTURE_STATUSES),
    isFinal: finalFlag(f, d.isFinal),
    createdTime: f.req('data.createdTime', d.createdTime),
    succeededTime: f.opt('data.succeededTime', d.succeededTime),
    failedTime: f.opt('data.failedTime', d.failedTime),
    // No documented maximum: cut to the attempt's result_code and result_message columns.
    errorCode: f.text('data.errorCode', d.errorCode, 64),
    errorMsg: f.text('data.errorMsg', d.errorMsg, 256),
  });
}

/** money.ts is the one place that converts; this only picks the direction and catches refusals. */
function toMinor(amount: string, currency: string, unit: 'major' | 'minor'): string | undefined {
  if (unit === 'minor') return isMinorUnits(amount) ? amount : undefined;
  try {
    const minor = decimalToMinor(amount, currency);
    return isMinorUnits(minor) ? minor : undefined; // zero is not an amount
  } catch {
    return undefined;
  }
}

function amountRule(currency: string, unit: 'major' | 'minor'): string {
  if (unit === 'minor') return RULES.minorUnits;
  const exp = currencyExponent(currency);
  return `must be a positive decimal amount in major units with at most ${exp} decimals for ${currency}`;
}

export type EventMapping = { ok: true; event: CaptureEvent } | { ok: false; reason: string };

/**
 * The machine event. PayerMax may leave the amount out of a SUCCESS, so the caller passes the
 * attempt's amount as `fallbackAmount`; the notification's own amount wins when present (the
 * acquirer is the truth for money; comparing it with the attempt is the caller's review check).
 * A SUCCESS with no amount anywhere is not guessed: it comes back as { ok: false }.
 */
export function payermaxCaptureEvent(
  n: PayermaxCaptureNotification,
  at: string,
  fallbackAmount?: Money,
): EventMapping {
  const d = n.data;
  const captureRequestId = d.requestId;
  if (d.status === 'PENDING') {
    return { ok: true, event: { type: 'CAPTURE_PENDING', captureRequestId, resultCode: 'PENDING', at } };
  }
  if (d.status === 'FAILED') {
    const event: CaptureEvent = compact({
      type: 'CAPTURE_FAILED' as const,
      captureRequestId,
      resultCode: d.errorCode || 'FAILED',
      resultMessage: d.errorMsg,
      at,
    });
    return { ok: true, event };
  }
  const amount = d.captureAmount ?? fallbackAmount;
  if (!amount) return { ok: false, reason: 'the notification carries no amount and no fallback was given' };
  if (d.currency !== undefined && d.currency !== amount.currency) {
    return { ok: false, reason: `the notification's currency ${d.currency} differs from ${amount.currency}` };
  }
  return {
    ok: true,
    event: {
      type: 'CAPTURE_SUCCEEDED',
      captureRequestId,
      captureId: d.captureNo,
      amount: { currency: amount.currency, value: amount.value },
      resultCode: 'SUCCESS',
      at,
    },
  };
}

/**
 * PayerMax retries up to 6 times until acknowledged, each retry with the same status: those
 * must collide in the inbox's unique index. The status is in the key so that the PENDING that
 * precedes a SUCCESS (or a contradicting FAILED) is a new notification, not a duplicate.
 */
export function payermaxDedupeKey(n: PayermaxCaptureNotification): string {
  return boundedKey(
    'payermax',
    `payermax:${keyPart(n.data.requestId)}:${keyPart(n.data.captureNo)}:${n.data.status}`,
  );
}
