/**
 * Antom notifications (docs/acquirers.md): field rules, the typed result, the
 * machine event a capture result becomes, and the key that deduplicates retries.
 *
 * Antom sends every value as a string, numbers included ("value": "50000"), so a JSON number
 * is a field error here, not something to coerce. Fields Antom's reference does not list are ignored:
 * Antom adds fields over time and an unknown field must not bounce a capture result.
 */
import { createHash } from 'node:crypto';
import type { CaptureEvent, Money } from '../../capture/machine/capture-types';
import { isCurrencyCode, isMinorUnits } from '../../capture/money/money';
import {
  boundedKey,
  compact,
  FieldChecker,
  isJsonObject,
  keyPart,
  RULES,
  type JsonObject,
  type Validated,
} from '../validation';

const ANTOM_CAPTURE_RESULT = 'CAPTURE_RESULT';
const ANTOM_PAYMENT_RESULT = 'PAYMENT_RESULT';

interface AntomResult<Status extends string> {
  resultCode: string;
  resultStatus: Status;
  resultMessage?: string;
}

/** APO routing: another acquirer (e.g. CHECKOUT, 2C2P) may have processed the payment. */
interface AntomAcquirerInfo {
  acquirerName?: string;
  referenceRequestId?: string;
  acquirerMerchantId?: string;
  acquirerTransactionId?: string;
  acquirerResultCode?: string;
  acquirerResultMessage?: string;
}

/** notifyCapture: final results only, so the status is S or F, never U. */
export interface AntomCaptureResult {
  notifyType: typeof ANTOM_CAPTURE_RESULT;
  result: AntomResult<'S' | 'F'>;
  captureRequestId: string;
  paymentId: string;
  captureId: string;
  captureAmount: Money;
  captureTime?: string;
  acquirerInfo?: AntomAcquirerInfo;
  acquirerReferenceNo?: string;
}

/** notifyPayment (the authorization result). */
export interface AntomPaymentResult {
  notifyType: typeof ANTOM_PAYMENT_RESULT;
  result: AntomResult<'S' | 'F' | 'U'>;
  paymentRequestId: string;
  paymentId: string;
  paymentAmount: Money;
  paymentCreateTime?: string;
  paymentTime?: string;
  paymentMethodType?: string;
  acquirerInfo?: AntomAcquirerInfo;
  acquirerReferenceNo?: string;
}

/**
 * Other notify types (PAYMENT_PENDING, refunds, disputes, ...) are valid notifications that we
 * verify, store and acknowledge but do not apply; they are not validation errors.
 */
export type AntomNotification =
  | { kind: 'captureResult'; notification: AntomCaptureResult }
  | { kind: 'paymentResult'; notification: AntomPaymentResult }
  | { kind: 'unsupported'; notifyType: string };

const ID_MAX = 64;
const ACQUIRER_INFO_FIELDS = [
  'acquirerName',
  'referenceRequestId',
  'acquirerMerchantId',
  'acquirerTransactionId',
  'acquirerResultCode',
  'acquirerResultMessage',
] as const;

/** Validates a parsed JSON body (parse it only after the signature verified). */
export function validateAntomNotification(body: unknown): Validated<AntomNotification> {
  if (!isJsonObject(body)) return { ok: false, errors: [{ field: 'body', rule: RULES.body }] };
  const f = new FieldChecker();
  const notifyType = f.req('notifyType', body.notifyType, ID_MAX);
  if (notifyType === ANTOM_CAPTURE_RESULT) {
    return f.done({ kind: 'captureResult', notification: captureResult(f, body) });
  }
  if (notifyType === ANTOM_PAYMENT_RESULT) {
    return f.done({ kind: 'paymentResult', notification: paymentResult(f, body) });
  }
  return f.done({ kind: 'unsupported', notifyType });
}

function captureResult(f: FieldChecker, o: JsonObject): AntomCaptureResult {
  return compact({
    notifyType: ANTOM_CAPTURE_RESULT,
    result: result(f, o.result, ['S', 'F'] as const),
    captureRequestId: f.req('captureRequestId', o.captureRequestId, ID_MAX),
    paymentId: f.req('paymentId', o.paymentId, ID_MAX),
    captureId: f.req('captureId', o.captureId, ID_MAX),
    captureAmount: amount(f, 'captureAmount', o.captureAmount),
    captureTime: f.opt('captureTime', o.captureTime),
    acquirerInfo: acquirerInfo(f, o.acquirerInfo),
    acquirerReferenceNo: f.opt('acquirerReferenceNo', o.acquirerReferenceNo, ID_MAX),
  });
}

function paymentResult(f: FieldChecker, o: JsonObject): AntomPaymentResult {
  return compact({
    notifyType: ANTOM_PAYMENT_RESULT,
    result: result(f, o.result, ['S', 'F', 'U'] as const),
    paymentRequestId: f.req('paymentRequestId', o.paymentRequestId, ID_MAX),
    paymentId: f.req('paymentId', o.paymentId, ID_MAX),
    paymentAmount: amount(f, 'paymentAmount', o.paymentAmount),
    paymentCreateTime: f.opt('paymentCreateTime', o.paymentCreateTime),
    paymentTime: f.opt('paymentTime', o.paymentTime),
    paymentMethodType: f.opt('paymentMethodType', o.paymentMethodType, ID_MAX),
    acquirerInfo: acquirerInfo(f, o.acquirerInfo),
    acquirerReferenceNo: f.opt('acquirerReferenceNo', o.acquirerReferenceNo, ID_MAX),
  });
}

function result<S extends string>(f: FieldChecker, value: unknown, statuses: readonly S[]): AntomResult<S> {
  const o = f.obj('result', value, true);
  return compact({
    resultCode: f.req('result.resultCode', o.resultCode, 64),
    resultStatus: f.oneOf('result.resultStatus', o.resultStatus, statuses),
    resultMessage: f.opt('result.resultMessage', o.resultMessage, 256),
  });
}

function amount(f: FieldChecker, field: string, value: unknown): Money {
  const o = f.obj(field, value, true);
  const currency = f.req(`${field}.currency`, o.currency);
  if (currency !== '' && !isCurrencyCode(currency)) f.fail(`${field}.currency`, RULES.currency);
  const minor = f.req(`${field}.value`, o.value);
  if (minor !== '' && !isMinorUnits(minor)) f.fail(`${field}.value`, RULES.minorUnits);
  return { currency, value: minor };
}

function acquirerInfo(f: FieldChecker, value: unknown): AntomAcquirerInfo | undefined {
  const o = f.obj('acquirerInfo', value, false);
  if (!o) return undefined;
  const info: AntomAcquirerInfo = {};
  for (const name of ACQUIRER_INFO_FIELDS) info[name] = f.opt(`acquirerInfo.${name}`, o[name], 64);
  return compact(info);
}

/**
 * The machine event for a capture result. `at` comes from the caller (the receive time): the
 * machine never reads a clock, and captureTime is optional and in the acquirer's time zone.
 */
export function antomCaptureEvent(n: AntomCaptureResult, at: string): CaptureEvent {
  if (n.result.resultStatus === 'S') {
    return {
      type: 'CAPTURE_SUCCEEDED',
      captureRequestId: n.captureRequestId,
      captureId: n.captureId,
      amount: { currency: n.captureAmount.currency, value: n.captureAmount.value },
      resultCode: n.result.resultCode,
      at,
    };
  }
  return compact({
    type: 'CAPTURE_FAILED' as const,
    captureRequestId: n.captureRequestId,
    resultCode: n.result.resultCode,
    resultMessage: n.result.resultMessage,
    at,
  });
}

/**
 * Antom retries a notification up to 8 times until acknowledged, and a retry carries the same
 * final result: the key must make those collide in the inbox's unique index. The status is part
 * of the key so that a different result for the same capture (an F after an S, which the machine
 * must see to flag a review) is a new row, not a swallowed duplicate.
 */
export function antomCaptureDedupeKey(n: AntomCaptureResult): string {
  const key = `antom:${keyPart(n.captureRequestId)}:${keyPart(n.captureId)}:${n.result.resultStatus}`;
  return boundedKey('antom', key);
}

/**
 * A key for any Antom notification. Payment results key on their ids and status the same way;
 * other types have no ids we understand, so a hash of the raw body makes exact retries collide.
 */
export function antomDedupeKey(n: AntomNotification, rawBody: Buffer | string): string {
  if (n.kind === 'captureResult') return antomCaptureDedupeKey(n.notification);
  if (n.kind === 'paymentResult') {
    const p = n.notification;
    const key = `antom:payment:${keyPart(p.paymentRequestId)}:${keyPart(p.paymentId)}:${p.result.resultStatus}`;
    return boundedKey('antom:payment', key);
  }
  const digest = createHash('sha256').update(rawBody).digest('hex');
  return boundedKey('antom:other', `antom:other:${keyPart(n.notifyType)}:${digest}`);
}
