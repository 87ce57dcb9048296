/**
 * Keyset cursors for lists ordered by (created_at, id): the cursor is the last row's key, so a
 * page never shifts when rows are inserted before it and no OFFSET scan grows with the page.
 */
export interface OrderKey {
  createdAt: Date;
  id: string;
}

export class InvalidCursorError extends Error {
  constructor() {
    super('not a cursor this API issued');
  }
}

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
  const createdAt = typeof at === 'string' ? new Date(at) : new Date(NaN);
  if (Number.isNaN(createdAt.getTime()) || typeof id !== 'string' || id.length === 0 || id.length > 36) {
    throw new InvalidCursorError();
  }
  return { createdAt, id };
}
