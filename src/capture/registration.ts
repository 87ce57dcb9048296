/**
 * Registering an authorized payment: the input, its field rules, and what counts as "the same
 * registration again". Pure; the HTTP DTO and the service both use it, with the rules of field-rules.ts.
 */
import { checkAuthorizationTime, checkStoredDateTime } from './dates';
import { isCurrencyCode, isMinorUnits } from './money/money';
import { ACQUIRERS, CAPTURE_MODES, type Acquirer, type CaptureMode } from './machine/capture-types';
import type { OrderEntity } from './persistence/entities';
import { isExternalId, oneOfText, RULE_TEXT, type FieldError } from './field-rules';

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

/** `now` judges authorizedAt: it may not lie in the future beyond the clock skew. */
export function validateRegistration(input: RegisterOrderInput, now = new Date()): FieldError[] {
  const errors: FieldError[] = [];
  const id = (field: string, value: unknown, required: boolean) => {
    if (value === undefined && !required) return;
    if (value === undefined) errors.push({ field, rule: RULE_TEXT.required });
    else if (!isExternalId(value)) errors.push({ field, rule: RULE_TEXT.id });
  };
  id('merchantOrderId', input.merchantOrderId, true);
  id('paymentId', input.paymentId, true);
  id('paymentRequestId', input.paymentRequestId, false);
  if (!ACQUIRERS.includes(input.acquirer)) errors.push({ field: 'acquirer', rule: oneOfText(ACQUIRERS) });
  if (!CAPTURE_MODES.includes(input.captureMode)) {
    errors.push({ field: 'captureMode', rule: oneOfText(CAPTURE_MODES) });
  }
  if (!isCurrencyCode(input.amount?.currency)) {
    errors.push({ field: 'amount.currency', rule: RULE_TEXT.currency });
  }
  if (!isMinorUnits(input.amount?.value)) {
    errors.push({ field: 'amount.value', rule: RULE_TEXT.minorUnits });
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
      errors.push({ field, rule: RULE_TEXT.boolean });
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
