/**
 * The admin API, with the token from sessionStorage: it lives as long as the tab, never in a
 * URL, a cookie or localStorage, and goes on data calls only (static assets never carry it).
 */
const TOKEN_KEY = 'order-capture.console.token';

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

export interface FieldError {
  field: string;
  rule: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: FieldError[] = [],
  ) {
    super(message);
  }

  /** The message with every field and rule, as the API names them. */
  describe(): string {
    const fields = this.details.map((d) => `${d.field} ${d.rule}`).join('; ');
    return fields ? `${this.message} (${fields})` : this.message;
  }
}

/** Thrown once the session ended: callers stop quietly, the sign-in page takes over. */
export class SignedOut extends Error {}

let signedOutHandler: (message: string) => void = () => undefined;

export function onSignedOut(handler: (message: string) => void): void {
  signedOutHandler = handler;
}

export async function api<T>(path: string, method = 'GET', body?: unknown): Promise<T> {
  const token = session.token();
  if (!token) throw new SignedOut();
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, 'the service cannot be reached');
  }
  if (res.status === 401) {
    // Only the token that was refused ends the session: a newer sign-in stays.
    if (session.token() === token) {
      session.signOut();
      signedOutHandler('The service refused the token (wrong or revoked). Sign in again.');
    }
    throw new SignedOut();
  }
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const e = (json ?? {}) as { message?: unknown; details?: unknown };
    const message = typeof e.message === 'string' ? e.message : `HTTP ${res.status}`;
    throw new ApiError(res.status, message, Array.isArray(e.details) ? (e.details as FieldError[]) : []);
  }
  return json as T;
}

/** Checks a token before keeping it: the stats route answers 401 to a wrong one. */
export async function verifyToken(token: string): Promise<'ok' | 'refused'> {
  const res = await fetch('/admin/stats', {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    cache: 'no-store',
    credentials: 'omit',
  });
  if (res.status === 401) return 'refused';
  if (!res.ok) throw new ApiError(res.status, `the service answered HTTP ${res.status}`);
  return 'ok';
}
