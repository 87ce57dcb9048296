/**
 * What we answer the acquirers, byte for byte as they expect it (docs/acquirers.md, What we
 * answer). A success is the only answer that stops their retries, so it is sent only once the
 * notification is committed (or was already, for a redelivery).
 */
import type { FieldError } from '../capture/field-rules';

export type WebhookAnswer =
  | { status: 200; kind: 'success' }
  | { status: number; kind: 'failure'; code: string; message: string; details?: FieldError[] };

export const SUCCESS: WebhookAnswer = { status: 200, kind: 'success' };

/** Failure codes, one per HTTP status the webhooks use. */
export const FAILURE_CODES: Readonly<Record<number, string>> = {
  400: 'PARAM_ILLEGAL',
  401: 'INVALID_SIGNATURE',
  413: 'REQUEST_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  503: 'SERVICE_UNAVAILABLE',
};

export function failure(status: number, message: string, details?: FieldError[]): WebhookAnswer {
  const code = FAILURE_CODES[status] ?? 'UNKNOWN_EXCEPTION';
  return details
    ? { status, kind: 'failure', code, message, details }
    : { status, kind: 'failure', code, message };
}

/** 400 naming every field and rule, in the message the acquirer logs and in `details`. */
export function invalid(errors: FieldError[]): WebhookAnswer {
  return failure(400, errors.map((e) => `${e.field} ${e.rule}`).join('; '), errors);
}

export type AckBody = Record<string, unknown>;

/** Antom: `{"result":{"resultCode","resultStatus","resultMessage"}}`, S on success, F otherwise. */
export function antomAck(answer: WebhookAnswer): AckBody {
  if (answer.kind === 'success') {
    return { result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' } };
  }
  const body: AckBody = {
    result: { resultCode: answer.code, resultStatus: 'F', resultMessage: answer.message },
  };
  if (answer.details) body.details = answer.details;
  return body;
}

/** PayerMax: `{"code","msg"}`. */
export function payermaxAck(answer: WebhookAnswer): AckBody {
  if (answer.kind === 'success') return { code: 'SUCCESS', msg: 'Success' };
  const body: AckBody = { code: answer.code, msg: answer.message };
  if (answer.details) body.details = answer.details;
  return body;
}
