/**
 * PayerMax's capture and cancel on the wire (docs/acquirers.md): the signed envelope, amounts in
 * PayerMax's unit, and `{code, msg, data}` responses read into the port's S/F/U terms. Amounts
 * cross between minor units and PayerMax's text only here, and only through money.ts.
 */
import type { PayermaxSettings } from '../../capture/options/capture-options';
import type { MinorUnits, Money } from '../../capture/machine/capture-types';
import { decimalToMinor, isMinorUnits, minorToDecimal } from '../../capture/money/money';
import type { CallStatus, CaptureCallResult, CancelResult } from '../../capture/ports/acquirer-port';
import { callStatus } from '../call-policy';
import type { HttpReply, ReplySignature } from '../http';
import { compact, isJsonObject, type JsonObject } from '../validation';
import { PAYERMAX_SIGN_HEADER, verifyPayermaxBody } from './payermax-signature';

export const PAYERMAX_API = {
  capture: '/aggregate-pay/api/gateway/capture',
  cancel: '/aggregate-pay/api/gateway/cancel',
} as const;

/** Envelope constants as PayerMax documents them (docs/acquirers.md). */
const PAYERMAX_VERSION = '1.4';
export const PAYERMAX_KEY_VERSION = '1';
export const PAYERMAX_APPLY_SUCCESS = 'APPLY_SUCCESS';
export const PAYERMAX_CONTENT_TYPE = 'application/json';

/**
 * Codes PayerMax documents as "busy / timed out / unknown, try later": the request may or may
 * not have been acted on, so they are U, not F.
 */
const UNKNOWN_OUTCOME_CODES = new Set(['SYSTEM_ERROR', 'REQUEST_TIMEOUT', 'UNEXPECTED_ERROR']);

export type AmountUnit = PayermaxSettings['amountUnit'];

/** Minor units to PayerMax's amount text: "1234" USD is "12.34" in major units. */
export function toPayermaxAmount(amount: Money, unit: AmountUnit): string {
  return unit === 'major' ? minorToDecimal(amount.value, amount.currency) : amount.value;
}

/** PayerMax's amount (text or number) back to minor units; undefined when it is not one. */
export function fromPayermaxAmount(
  value: unknown,
  currency: string,
  unit: AmountUnit,
): MinorUnits | undefined {
  const textValue = typeof value === 'number' ? String(value) : value;
  if (typeof textValue !== 'string') return undefined;
  try {
    if (unit === 'minor') return isMinorUnits(textValue, true) ? textValue : undefined;
    return decimalToMinor(textValue, currency);
  } catch {
    return undefined;
  }
}

/** RFC 3339 with milliseconds (yyyy-MM-dd'T'HH:mm:ss.SSSXXX; Java prints a zero offset as Z). */
function payermaxRequestTime(at: Date): string {
  return at.toISOString();
}

/** The request body: PayerMax signs and verifies these exact bytes. */
export function payermaxEnvelope(settings: PayermaxSettings, data: JsonObject, at: Date): string {
  return JSON.stringify({
    version: PAYERMAX_VERSION,
    keyVersion: PAYERMAX_KEY_VERSION,
    requestTime: payermaxRequestTime(at),
    appId: settings.appId,
    merchantNo: settings.merchantNo,
    data,
  });
}

export function payermaxCaptureData(
  requestId: string,
  outTradeNo: string,
  amount: Money,
  unit: AmountUnit,
): JsonObject {
  return { requestId, outTradeNo, currency: amount.currency, amount: toPayermaxAmount(amount, unit) };
}

/** `{code, msg}`: a code other than APPLY_SUCCESS means the request itself was refused. */
function refusal(
  body: JsonObject,
): { status: CallStatus; resultCode?: string; resultMessage?: string } | null {
  const code = text(body.code);
  if (code === PAYERMAX_APPLY_SUCCESS) return null;
  if (!code)
    return { status: 'U', resultCode: 'UNREADABLE_RESPONSE', resultMessage: 'no code in the response' };
  const status: CallStatus = UNKNOWN_OUTCOME_CODES.has(code) ? 'U' : 'F';
  return compact({ status, resultCode: code, resultMessage: text(body.msg) });
}

const STATUS: Readonly<Record<string, 'S' | 'F' | 'U'>> = { SUCCESS: 'S', FAILED: 'F', PENDING: 'U' };

export function payermaxCaptureResult(
  body: JsonObject,
  currency: string,
  unit: AmountUnit,
): CaptureCallResult {
  const refused = refusal(body);
  if (refused) return refused;
  const data = isJsonObject(body.data) ? body.data : {};
  const wire = STATUS[text(data.status) ?? ''];
  if (!wire) return { status: 'U', resultCode: 'UNREADABLE_RESPONSE', resultMessage: 'no capture status' };
  const resultCode = wire === 'S' ? 'SUCCESS' : (text(data.errorCode) ?? `CAPTURE_${text(data.status)}`);
  const status = callStatus(wire, resultCode);
  const value =
    status === 'S' ? fromPayermaxAmount(data.amount, text(data.currency) ?? currency, unit) : undefined;
  return compact({
    status,
    resultCode,
    resultMessage: text(data.errorMsg),
    captureId: text(data.captureNo),
    amount: value ? { currency: text(data.currency) ?? currency, value } : undefined,
  });
}

/** Cancel: accepted with no status, or SUCCESS, is done; FAILED failed; PENDING unknown. */
export function payermaxCancelResult(body: JsonObject): CancelResult {
  const refused = refusal(body);
  if (refused) return refused;
  const data = isJsonObject(body.data) ? body.data : {};
  const wire = STATUS[text(data.status) ?? 'SUCCESS'] ?? 'U';
  const resultCode = wire === 'S' ? 'SUCCESS' : (text(data.errorCode) ?? `CANCEL_${text(data.status)}`);
  return compact({ status: wire, resultCode, resultMessage: text(data.errorMsg) });
}

/**
 * PayerMax signs its responses like its requests (the `sign` header over the raw body). A reply
 * without one is `missing` and is believed no more than one that does not verify (`invalid`).
 */
export function checkPayermaxResponse(
  publicKey: Parameters<typeof verifyPayermaxBody>[0],
  reply: HttpReply,
): ReplySignature {
  const sign = reply.headers[PAYERMAX_SIGN_HEADER];
  if (!sign?.trim()) return 'missing';
  return verifyPayermaxBody(publicKey, reply.body, sign) ? 'valid' : 'invalid';
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
