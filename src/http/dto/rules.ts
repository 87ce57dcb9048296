/**
 * The field rules of the API as class-validator decorators, one rule per field so that a 400
 * names each field once with the rule it broke. The texts and the id pattern are those of
 * capture/field-rules.ts (registration.ts uses them too), the checks reuse money.ts and dates.ts.
 */
import { ValidateBy, type ValidationArguments } from 'class-validator';
import {
  checkAuthorizationTime,
  checkDateTime,
  checkStoredDateTime,
  DATE_RULES,
  type DateCheck,
} from '../../capture/dates';
import { isCurrencyCode, isMinorUnits } from '../../capture/money/money';
import { isExternalId, oneOfText, RULE_TEXT } from '../../capture/field-rules';

/** Control characters have no place in free text and NUL cannot even be stored on PostgreSQL. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * A rule: `test` decides; a missing value reports "is required" instead of the rule. `text` may
 * depend on the value, for rules with several ways to fail (a date's format, then its calendar).
 */
function rule(
  name: string,
  test: (value: unknown) => boolean,
  text: string | ((value: unknown) => string),
): PropertyDecorator {
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown) => test(value),
      defaultMessage: (args?: ValidationArguments) =>
        args?.value === undefined || args?.value === null
          ? RULE_TEXT.required
          : typeof text === 'string'
            ? text
            : text(args?.value),
    },
  });
}

function dateRule(name: string, check: (value: unknown) => DateCheck): PropertyDecorator {
  return rule(
    name,
    (v) => check(v).ok,
    (v) => {
      const checked = check(v);
      return checked.ok ? DATE_RULES.dateTime : checked.rule;
    },
  );
}

export const IsExternalId = () => rule('externalId', isExternalId, RULE_TEXT.id);
export const IsCurrency = () => rule('currency', isCurrencyCode, RULE_TEXT.currency);
export const IsMinorUnits = () => rule('minorUnits', (v) => isMinorUnits(v), RULE_TEXT.minorUnits);
/** Any real date-time (filters): the format and the calendar. */
export const IsDateTime = () => dateRule('dateTime', checkDateTime);
/** A date-time to store (captureAt): also not before the floor. */
export const IsStoredDateTime = () => dateRule('dateTime', checkStoredDateTime);
/** authorizedAt: also not in the future, judged at the time of the request. */
export const IsAuthorizationTime = () => dateRule('dateTime', (v) => checkAuthorizationTime(v, new Date()));
export const IsStrictBoolean = () => rule('boolean', (v) => typeof v === 'boolean', RULE_TEXT.boolean);
export const IsJsonObject = () =>
  rule('object', (v) => typeof v === 'object' && v !== null && !Array.isArray(v), RULE_TEXT.object);

export function IsOneOf(values: readonly string[]): PropertyDecorator {
  return rule('oneOf', (v) => typeof v === 'string' && values.includes(v), oneOfText(values));
}

/** A comma-separated list (or a repeated query parameter) whose every item is one of `values`. */
export function IsListOf(values: readonly string[]): PropertyDecorator {
  return rule(
    'listOf',
    (v) => Array.isArray(v) && v.length > 0 && v.every((item) => values.includes(item as string)),
    `must be one or more of ${values.join(', ')}, separated by commas`,
  );
}

/** Free text; line breaks and tabs are fine, other control characters are not. */
export function IsText(min: number, max: number): PropertyDecorator {
  const text =
    min > 0
      ? `must be a non-blank string of at most ${max} characters`
      : `must be a string of at most ${max} characters`;
  return rule(
    'text',
    (v) => typeof v === 'string' && v.trim().length >= min && [...v].length <= max && !CONTROL.test(v),
    (v) => (typeof v === 'string' && CONTROL.test(v) ? RULE_TEXT.control : text),
  );
}

export function IsIntegerText(min: number, max: number): PropertyDecorator {
  return rule(
    'integer',
    (v) => typeof v === 'string' && /^[0-9]{1,6}$/.test(v) && Number(v) >= min && Number(v) <= max,
    `must be an integer from ${min} to ${max}`,
  );
}
