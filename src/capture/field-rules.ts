/**
 * The field rules of registration and of the API, one definition each: what an id may look
 * like and the text a refused field gets. registration.ts (the validator embedding hosts call),
 * the HTTP DTOs (http/dto/rules.ts) and the notification checks all use these, so a host calling
 * the service and a client calling the API are refused the same way, with the same words.
 */
import { DATE_RULES } from './dates';

/** One refused field: `field` is its path (`amount.value`), `rule` the rule it broke. */
export interface FieldError {
  field: string;
  rule: string;
}

/** Our ids and the acquirers': 1 to 64 printable ASCII characters, no spaces. */
const EXTERNAL_ID = /^[\x21-\x7e]{1,64}$/;

export const isExternalId = (value: unknown): value is string =>
  typeof value === 'string' && EXTERNAL_ID.test(value);

export const RULE_TEXT = {
  required: 'is required',
  id: 'must be 1 to 64 printable ASCII characters without spaces',
  currency: 'must be a 3-letter ISO 4217 code',
  minorUnits: 'must be a positive integer string in minor units (at most 2^63-1)',
  dateTime: DATE_RULES.dateTime,
  control: 'must not contain control characters',
  boolean: 'must be true or false',
  object: 'must be an object',
} as const;

/** "must be a, b or c". */
export function oneOfText(values: readonly string[]): string {
  return `must be ${values.slice(0, -1).join(', ')}${values.length > 1 ? ' or ' : ''}${values.at(-1)}`;
}
