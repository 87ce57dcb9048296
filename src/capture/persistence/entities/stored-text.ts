/**
 * Text from outside (acquirers' codes, messages and ids) made storable in any column on both
 * databases. PostgreSQL refuses a NUL character in text outright and a value longer than a
 * varchar's length, SQLite takes both: the same notification must not be storable on one and
 * fail forever on the other. Other control characters and lone UTF-16 surrogates are replaced
 * too, so that what is stored is also safe to print in logs and consoles.
 */
import type { ValueTransformer } from 'typeorm';

/** Where a character was replaced. */
export const REPLACEMENT = '\ufffd';
/** The last character of a value that was cut to fit its column. */
const TRUNCATED = '\u2026';

const UNSTORABLE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Control characters and lone surrogates replaced by U+FFFD, one for one (lengths unchanged). */
export function cleanText(text: string): string {
  return text.replace(UNSTORABLE, REPLACEMENT);
}

/** At most `max` characters (code points, as both databases count them), an ellipsis if cut. */
export function boundText(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}${TRUNCATED}`;
}

function storableText(text: string, max?: number): string {
  const clean = cleanText(text);
  return max === undefined ? clean : boundText(clean, max);
}

/**
 * The last line of defence, on the entity columns that take outside text: whatever path wrote
 * the value (a notification, a capture reply, an inquiry), it is stored rather than failing
 * the transaction on PostgreSQL. Values already clean pass unchanged.
 */
export function storedText(max?: number): ValueTransformer {
  return {
    to: (value: unknown) => (typeof value === 'string' ? storableText(value, max) : value),
    from: (value: unknown) => value,
  };
}
