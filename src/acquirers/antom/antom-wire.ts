/**
 * Antom's capture, inquiryPayment and cancel on the wire (docs/acquirers.md):
 * request bodies, response signatures, and responses read into the port's S/F/U terms. Pure:
 * the client adds HTTP, the sandbox uses the same paths.
 */
import { isCurrencyCode, isMinorUnits } from '../../capture/money/money';
import type { Money } from '../../capture/machine/capture-types';
import type {
  CallStatus,
  CaptureCall,
  CaptureCallResult,
  CaptureRecord,
  InquiryResult,
  PaymentRef,
} from '../../capture/ports/acquirer-port';
import { callStatus } from '../call-policy';
import type { HttpReply, ReplySignature } from '../http';
import { compact, isJsonObject, type JsonObject } from '../validation';
import { verifyAntomMessage } from './antom-signature';

/** Live paths; SANDBOX_ client ids call (and sign) them with /ams/sandbox/api instead. */
export const ANTOM_API = {
  capture: '/ams/api/v1/payments/capture',
  inquiryPayment: '/ams/api/v1/payments/inquiryPayment',
  cancel: '/ams/api/v1/payments/cancel',
} as const;

export const ANTOM_CONTENT_TYPE = 'application/json; charset=UTF-8';

export function antomCaptureBody(call: CaptureCall): string {
  return JSON.stringify({
    captureRequestId: call.captureRequestId,
    paymentId: call.paymentId,
    captureAmount: { currency: call.amount.currency, value: call.amount.value },
    // Sent only when set, as the SDKs do; Antom's default is "not the last capture".
    ...(call.isLast ? { isLastCapture: true } : {}),
  });
}

/** inquiryPayment and cancel name the payment by paymentId, or paymentRequestId (paymentId wins). */
export function antomPaymentBody(payment: PaymentRef): string {
  if (payment.paymentId) return JSON.stringify({ paymentId: payment.paymentId });
  if (payment.paymentRequestId) return JSON.stringify({ paymentRequestId: payment.paymentRequestId });
  throw new Error('an Antom payment needs a paymentId or a paymentRequestId');
}

export interface AntomResultFields {
  status: CallStatus;
  resultCode?: string;
  resultMessage?: string;
}

/** The `result` object of any Antom response; null when there is none to read. */
export function readAntomResult(body: JsonObject): AntomResultFields | null {
  const result = body.result;
  if (!isJsonObject(result)) return null;
  const resultCode = text(result.resultCode);
  return {
    status: callStatus(result.resultStatus, resultCode),
    resultCode,
    resultMessage: text(result.resultMessage),
  };
}

export function antomCaptureResult(body: JsonObject): CaptureCallResult {
  const result = readAntomResult(body);
  if (!result) return { status: 'U', resultCode: 'UNREADABLE_RESPONSE', resultMessage: 'no result object' };
  return compact({
    ...result,
    captureId: text(body.captureId),
    amount: result.status === 'S' ? money(body.captureAmount) : undefined,
  });
}

export type AntomInquiry =
  | { ok: true; value: InquiryResult }
  | { ok: false; status: CallStatus; resultCode?: string; resultMessage?: string };

export function antomInquiryResult(body: JsonObject): AntomInquiry {
  const result = readAntomResult(body);
  if (!result) return { ok: false, status: 'U', resultCode: 'UNREADABLE_RESPONSE' };
  if (result.status !== 'S') return { ok: false, ...result };
  const paymentStatus = text(body.paymentStatus);
  const captures = antomCaptureRecords(body.transactions);
  return { ok: true, value: paymentStatus ? { paymentStatus, captures } : { captures } };
}

/**
 * inquiryPayment's CAPTURE transactions. transactionRequestId is our captureRequestId; a capture
 * the acquirer made by itself (AUTOMATIC) may carry none, and is then named by its transactionId
 * so that it is still seen. Transactions without either cannot be matched to anything.
 */
export function antomCaptureRecords(transactions: unknown): CaptureRecord[] {
  if (!Array.isArray(transactions)) return [];
  const records: CaptureRecord[] = [];
  for (const t of transactions) {
    if (!isJsonObject(t) || t.transactionType !== 'CAPTURE') continue;
    const captureId = text(t.transactionId);
    const captureRequestId = text(t.transactionRequestId) ?? captureId;
    if (!captureRequestId) continue;
    const outcome = isJsonObject(t.transactionResult) ? t.transactionResult : undefined;
    const resultCode = text(outcome?.resultCode);
    const status = outcome ? callStatus(outcome.resultStatus, resultCode) : fromTransactionStatus(t);
    records.push(
      compact({
        captureRequestId,
        status,
        resultCode,
        resultMessage: text(outcome?.resultMessage),
        captureId,
        amount: money(t.transactionAmount),
      }),
    );
  }
  return records;
}

function fromTransactionStatus(t: JsonObject): CallStatus {
  if (t.transactionStatus === 'SUCCESS') return 'S';
  if (t.transactionStatus === 'FAIL') return 'F';
  return 'U';
}

/**
 * A response is signed over `POST <path>\n<client-id>.<response-time>.<raw body>` with the path
 * the request was signed with. Antom sends `signature`, `response-time` and `client-id` with its
 * responses; one without a signature is `missing`, and is no more believed than one whose
 * signature does not verify or names another client id (`invalid`): see readExchange.
 */
export function checkAntomResponse(
  publicKey: Parameters<typeof verifyAntomMessage>[0],
  signedPath: string,
  clientId: string,
  reply: HttpReply,
): ReplySignature {
  const signature = reply.headers['signature'];
  if (!signature) return 'missing';
  const responseTime = reply.headers['response-time'];
  const responseClient = reply.headers['client-id'] ?? clientId;
  if (!responseTime || responseClient !== clientId) return 'invalid';
  const message = { method: 'POST', path: signedPath, clientId, requestTime: responseTime, body: reply.body };
  return verifyAntomMessage(publicKey, message, signature) ? 'valid' : 'invalid';
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** An Antom amount ({currency, value} in minor units, as strings); undefined when it is not one. */
function money(value: unknown): Money | undefined {
  if (!isJsonObject(value)) return undefined;
  const { currency, value: minor } = value;
  return isCurrencyCode(currency) && isMinorUnits(minor, true) ? { currency, value: minor } : undefined;
}
