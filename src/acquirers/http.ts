/**
 * Outbound HTTP for the acquirer clients: one POST with a deadline that covers the whole
 * exchange (connect, send, and reading the body), through the platform's fetch. It never
 * throws: a timeout or a network error is a value, because to the capture flow both mean "we do
 * not know what happened" (U), which is not an exception but an everyday outcome.
 */

export interface HttpReply {
  status: number;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  /** The exact bytes received: signatures are verified over these, never over re-serialized JSON. */
  body: Buffer;
}

export type HttpOutcome =
  | { kind: 'reply'; reply: HttpReply }
  | { kind: 'timeout'; afterMs: number }
  | { kind: 'networkError'; message: string };

export interface PostOptions {
  url: string;
  headers: Record<string, string>;
  /** Sent as these exact bytes (the signature covers them). */
  body: string;
  timeoutMs: number;
}

export async function postBytes(options: PostOptions): Promise<HttpOutcome> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await fetch(options.url, {
      method: 'POST',
      headers: options.headers,
      body: options.body,
      signal,
      redirect: 'manual',
    });
    const body = Buffer.from(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    return { kind: 'reply', reply: { status: response.status, headers, body } };
  } catch (err) {
    if (signal.aborted) return { kind: 'timeout', afterMs: options.timeoutMs };
    return { kind: 'networkError', message: describeNetworkError(err) };
  }
}

/** fetch wraps the useful part ("ECONNREFUSED", "other side closed") in `cause`. */
function describeNetworkError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: string }).code;
    return code ? `${err.message}: ${code}` : `${err.message}: ${cause.message}`;
  }
  return err.message;
}

/** Parses a reply body as a JSON object; null when it is not one. */
export function parseJsonObject(body: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Where the clients report what an operator must see (bad response signature, retries). */
export interface ClientLogger {
  warn(message: string): void;
}

export const silentLogger: ClientLogger = { warn: () => undefined };

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
