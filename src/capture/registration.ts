/**
 * Registering an authorized payment: the input, its field rules, and what counts as "the same
 * registration again". Pure; the HTTP DTO and the service both use it.
 */
import { checkAuthorizationTime, checkStoredDateTime } from './dates';
import { isCurrencyCode, isMinorUnits } from './money/money';
import { ACQUIRERS, CAPTURE_MODES, type Acquirer, type CaptureMode } from './machine/capture.types';
import type { OrderEntity } from './persistence/entities';

export interface RegisterOrderInput {
  merchantOrderId: string;
  acquirer: Acquirer;
  paymentId: string;
  paymentRequestId?: string;
  amount: { currency: string; value: string };
  captureMode: CaptureMode;
  /** ISO 8601; defaults to now. The capture deadline counts from it. */
  authorizedAt?: string;
  /** ISO 8601; a scheduled capture for MANUAL orders. */
  captureAt?: string;
  multiCapture?: boolean;
  fullCaptureOnly?: boolean;
}

export interface FieldError {
  field: string;
  rule: string;
}

const ID = /^[\x21-\x7e]{1,64}$/;

/** `now` judges authorizedAt: it may not lie in the future beyond the clock skew. */
export function validateRegistration(input: RegisterOrderInput, now = new Date()): FieldError[] {
  const errors: FieldError[] = [];
  const id = (field: string, value: unknown, required: boolean) => {
    if (value === undefined && !required) return;
    if (typeof value !== 'string' || !ID.test(value)) {
      errors.push({ field, rule: 'must be 1 to 64 printable ASCII characters without spaces' });
    }
  };
  id('merchantOrderId', input.merchantOrderId, true);
  id('paymentId', input.paymentId, true);
  id('paymentRequestId', input.paymentRequestId, false);
  if (!ACQUIRERS.includes(input.acquirer))
    errors.push({ field: 'acquirer', rule: 'must be antom or payermax' });
  if (!CAPTURE_MODES.includes(input.captureMode)) {
    errors.push({ field: 'captureMode', rule: 'must be AUTOMATIC or MANUAL' });
  }
  if (!isCurrencyCode(input.amount?.currency)) {
    errors.push({ field: 'amount.currency', rule: 'must be a 3-letter ISO 4217 code' });
  }
  if (!isMinorUnits(input.amount?.value)) {
    errors.push({
      field: 'amount.value',
      rule: 'must be a positive integer string in minor units (at most 2^63-1)',
    });
  }
  const dates = [
    ['authorizedAt', (v: unknown) => checkAuthorizationTime(v, now)],
    ['captureAt', checkStoredDateTime],
  ] as const;
  for (const [field, check] of dates) {
    const checked = input[field] === undefined ? undefined : check(input[field]);
    if (checked && !checked.ok) errors.push({ field, rule: checked.rule });
  }
  if (input.captureAt !== undefined && input.captureMode === 'AUTOMATIC') {
    errors.push({ field: 'captureAt', rule: 'only MANUAL orders have a scheduled capture' });
  }
  for (const field of ['multiCapture', 'fullCaptureOnly'] as const) {
    if (input[field] !== undefined && typeof input[field] !== 'boolean')
      errors.push({ field, rule: 'must be a boolean' });
  }
  if (input.multiCapture === true && input.acquirer === 'payermax') {
    errors.push({ field: 'multiCapture', rule: 'PayerMax allows one capture per authorization' });
  }
  return errors;
}

/** The fields of a repeated registration that differ from the stored order (omitted ones never do). */
export function registrationDifferences(input: RegisterOrderInput, order: OrderEntity): string[] {
  const diff: string[] = [];
  const same = (field: string, a: unknown, b: unknown) => {
    if (a !== undefined && a !== b) diff.push(field);
  };
  same('merchantOrderId', input.merchantOrderId, order.merchantOrderId);
  same('paymentRequestId', input.paymentRequestId, order.paymentRequestId ?? undefined);
  same('amount.currency', input.amount.currency, order.currency);
  same('amount.value', input.amount.value, order.authorizedAmount);
  same('captureMode', input.captureMode, order.captureMode);
  same('multiCapture', input.multiCapture, order.multiCapture);
  same('fullCaptureOnly', input.fullCaptureOnly, order.fullCaptureOnly);
  const time = (v: string | undefined) => (v === undefined ? undefined : new Date(v).getTime());
  same('authorizedAt', time(input.authorizedAt), order.authorizedAt.getTime());
  same('captureAt', time(input.captureAt), order.captureAt?.getTime());
  return diff;
}
