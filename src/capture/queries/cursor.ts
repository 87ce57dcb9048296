/**
 * Keyset cursors for lists ordered by (created_at, id): the cursor is the last row's key, so a
 * page never shifts when rows are inserted before it and no OFFSET scan grows with the page.
 */
import { checkDateTime } from '../dates';

export interface OrderKey {
  createdAt: Date;
  id: string;
}

export class InvalidCursorError extends Error {
  constructor() {
    super('not a cursor this API issued');
  }
}

/** Order ids as this service writes them; anything else (NUL included) never reaches SQL. */
const KEY_ID = /^[\x21-\x7e]{1,36}$/;

export function encodeCursor(key: OrderKey): string {
  return Buffer.from(JSON.stringify([key.createdAt.toISOString(), key.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): OrderKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new InvalidCursorError();
  const [at, id] = parsed as unknown[];
  // The strict parser bounds the year to four digits: both databases can compare with it.
  const createdAt = checkDateTime(at);
  if (!createdAt.ok || typeof id !== 'string' || !KEY_ID.test(id)) throw new InvalidCursorError();
  return { createdAt: createdAt.date, id };
}
