/**
 * The field rules of the API as class-validator decorators, one rule per field so that a 400
 * names each field once with the rule it broke. The texts match registration.ts, the checks
 * reuse money.ts: there is one definition of a currency code and of minor units.
 */
import { ValidateBy, type ValidationArguments } from 'class-validator';
import { isCurrencyCode, isMinorUnits } from '../../capture/money/money';

const ID = /^[\x21-\x7e]{1,64}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

export const RULE_TEXT = {
  required: 'is required',
  id: 'must be 1 to 64 printable ASCII characters without spaces',
  currency: 'must be a 3-letter ISO 4217 code',
  minorUnits: 'must be a positive integer string in minor units (at most 2^63-1)',
  dateTime: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-01-31T12:00:00Z',
  boolean: 'must be true or false',
  object: 'must be an object',
} as const;

/** A rule: `test` decides; a missing value reports "is required" instead of the rule. */
function rule(name: string, test: (value: unknown) => boolean, text: string): PropertyDecorator {
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown) => test(value),
      defaultMessage: (args?: ValidationArguments) =>
        args?.value === undefined || args?.value === null ? RULE_TEXT.required : text,
    },
  });
}

export const isExternalId = (v: unknown): boolean => typeof v === 'string' && ID.test(v);
export const IsExternalId = () => rule('externalId', isExternalId, RULE_TEXT.id);
export const IsCurrency = () => rule('currency', isCurrencyCode, RULE_TEXT.currency);
export const IsMinorUnits = () => rule('minorUnits', (v) => isMinorUnits(v), RULE_TEXT.minorUnits);
export const IsDateTime = () => rule('dateTime', isDateTime, RULE_TEXT.dateTime);
export const IsStrictBoolean = () => rule('boolean', (v) => typeof v === 'boolean', RULE_TEXT.boolean);
export const IsJsonObject = () =>
  rule('object', (v) => typeof v === 'object' && v !== null && !Array.isArray(v), RULE_TEXT.object);

export function IsOneOf(values: readonly string[]): PropertyDecorator {
  const text = `must be ${values.slice(0, -1).join(', ')}${values.length > 1 ? ' or ' : ''}${values.at(-1)}`;
  return rule('oneOf', (v) => typeof v === 'string' && values.includes(v), text);
}

/** A comma-separated list (or a repeated query parameter) whose every item is one of `values`. */
export function IsListOf(values: readonly string[]): PropertyDecorator {
  return rule(
    'listOf',
    (v) => Array.isArray(v) && v.length > 0 && v.every((item) => values.includes(item as string)),
    `must be one or more of ${values.join(', ')}, separated by commas`,
  );
}

export function IsText(min: number, max: number): PropertyDecorator {
  return rule(
    'text',
    (v) => typeof v === 'string' && v.trim().length >= min && [...v].length <= max,
    min > 0
      ? `must be a non-blank string of at most ${max} characters`
      : `must be a string of at most ${max} characters`,
  );
}

export function IsIntegerText(min: number, max: number): PropertyDecorator {
  return rule(
    'integer',
    (v) => typeof v === 'string' && /^[0-9]{1,6}$/.test(v) && Number(v) >= min && Number(v) <= max,
    `must be an integer from ${min} to ${max}`,
  );
}

export function isDateTime(value: unknown): boolean {
  return typeof value === 'string' && DATE_TIME.test(value) && !Number.isNaN(Date.parse(value));
}
