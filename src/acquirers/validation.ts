/**
 * Field-by-field validation of acquirer notification bodies. A checker collects every error of
 * one body instead of stopping at the first, so a 400 names everything the acquirer (or a
 * tester) got wrong in one answer. No schema library: the rules are few and come from the seeds.
 *
 * Every string comes out storable: control characters (NUL above all, which PostgreSQL cannot
 * store) are replaced by U+FFFD. A documented maximum length is a field rule; text without one
 * (codes and messages) is cut to its column with an ellipsis instead of being refused, because
 * refusing a signed notification only makes the acquirer retry the same bytes until it gives up.
 */
import { createHash } from 'node:crypto';
import { boundText, cleanText } from '../capture/persistence/entities/stored-text';
import type { FieldError } from '../capture/field-rules';

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

export type JsonObject = Record<string, unknown>;

export const RULES = {
  body: 'must be a JSON object',
  required: 'is required',
  string: 'must be a string',
  object: 'must be an object',
  nonEmpty: 'must not be empty',
  maxLength: (n: number) => `must be at most ${n} characters`,
  oneOf: (values: readonly string[]) =>
    `must be ${values.slice(0, -1).join(', ')}${values.length > 1 ? ' or ' : ''}${values[values.length - 1]}`,
  currency: 'must be a 3-letter ISO 4217 currency code',
  minorUnits: 'must be a positive integer string in minor units',
} as const;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Characters as a person counts them (code points), not UTF-16 units. */
function length(text: string): number {
  return [...text].length;
}

export class FieldChecker {
  readonly errors: FieldError[] = [];
  /** Objects that are missing or not objects: their children are not reported again. */
  private readonly brokenParents: string[] = [];

  fail(field: string, rule: string): void {
    if (this.brokenParents.some((parent) => field.startsWith(`${parent}.`))) return;
    this.errors.push({ field, rule });
  }

  /**
   * A required string. On failure it records the error and returns '' so that callers can keep
   * building the value with exact types; the value is only handed out when no error was found.
   */
  req(field: string, value: unknown, max?: number): string {
    if (value === undefined || value === null) {
      this.fail(field, RULES.required);
      return '';
    }
    const text = this.opt(field, value, max);
    if (text === '') this.fail(field, RULES.nonEmpty);
    return text ?? '';
  }

  /** An optional string; null counts as absent (PayerMax sends explicit nulls). */
  opt(field: string, value: unknown, max?: number): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      this.fail(field, RULES.string);
      return undefined;
    }
    if (max !== undefined && length(value) > max) this.fail(field, RULES.maxLength(max));
    return cleanText(value);
  }

  /** Optional free text with no documented maximum: cleaned and cut to `column` characters. */
  text(field: string, value: unknown, column: number): string | undefined {
    const text = this.opt(field, value);
    return text === undefined ? undefined : boundText(text, column);
  }

  /** A required string that must be one of a closed set of values. */
  oneOf<T extends string>(field: string, value: unknown, values: readonly T[]): T {
    const text = this.req(field, value);
    if (text !== '' && !(values as readonly string[]).includes(text)) this.fail(field, RULES.oneOf(values));
    return text as T;
  }

  /** A nested object: required ones give {} on failure, optional ones undefined when absent. */
  obj(field: string, value: unknown, required: true): JsonObject;
  obj(field: string, value: unknown, required: false): JsonObject | undefined;
  obj(field: string, value: unknown, required: boolean): JsonObject | undefined {
    if (isJsonObject(value)) return value;
    const absent = value === undefined || value === null;
    if (!absent || required) {
      this.fail(field, absent ? RULES.required : RULES.object);
      this.brokenParents.push(field);
    }
    return required ? {} : undefined;
  }

  done<T>(value: T): Validated<T> {
    return this.errors.length === 0 ? { ok: true, value } : { ok: false, errors: [...this.errors] };
  }
}

/** Drops absent optional fields so a value round-trips through JSON unchanged. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Dedupe keys join ids with ':'. Escaping '%' and ':' keeps the join unambiguous (an id that
 * contains ':' cannot forge another key) while leaving ordinary ids unchanged and readable.
 */
export function keyPart(id: string): string {
  return id.replace(/%/g, '%25').replace(/:/g, '%3A');
}

/** inbound_notifications.dedupe_key is varchar(255). */
const DEDUPE_KEY_MAX = 255;

/**
 * Escaping can triple an id's length, so two 64-character ids may not fit the column. A key
 * that would not fit becomes a digest of itself: still the same for every retry, still distinct
 * from any other key, and every key that fits stays exactly as it always was.
 */
export function boundedKey(prefix: string, key: string): string {
  if (key.length <= DEDUPE_KEY_MAX) return key;
  return `${prefix}:sha256:${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}
