/**
 * Outbound HTTP for the acquirer clients: one POST with a deadline that covers the whole
 * exchange (connect, send, and reading the body), through the platform's fetch. It never
 * throws: a timeout or a network error is a value, because to the capture flow both mean "we do
 * not know what happened" (U), which is not an exception but an everyday outcome.
 */

import { NOT_DELIVERED } from '../capture/ports/acquirer-port';

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
  /**
   * delivered: false only when the error proves the request never left us (the connection was
   * refused, the host name did not resolve); any other error may have come after the acquirer
   * read the request.
   */
  | { kind: 'networkError'; message: string; delivered: boolean };

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
    return { kind: 'networkError', message: describeNetworkError(err), delivered: !neverSent(err) };
  }
}

/** Error codes that mean no byte of the request reached the other side. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** Read by shape, not instanceof: the error may come from another realm (a VM context). */
function neverSent(err: unknown): boolean {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' && NOT_SENT_CODES.has(cause.code);
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
function parseJsonObject(body: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** An acquirer's answer as a JSON object, or why we cannot know what it did (a U to us). */
export type Exchange =
  { kind: 'answer'; body: Record<string, unknown> } | { kind: 'unknown'; code: string; message: string };

/** What a reply's signature says: only a `valid` one is believed. */
export type ReplySignature = 'valid' | 'missing' | 'invalid';

/** Told of every reply that was not believed for want of a valid signature (a metric). */
export type UnverifiedReplyObserver = (reason: Exclude<ReplySignature, 'valid'>) => void;

/**
 * Every doubt becomes "unknown": no answer in time, a network error, a body that is not JSON,
 * and a reply without a valid signature. An unsigned S could be a forged "ship it", an unsigned
 * F a forged "try again" (a new captureRequestId, so a possible double capture): neither is
 * applied, the inquiry or a resend of the same request id settles it. Logged without the body.
 */
export function readExchange(
  outcome: HttpOutcome,
  checkSignature: (reply: HttpReply) => ReplySignature,
  logger: ClientLogger,
  label: string,
  onUnverified?: UnverifiedReplyObserver,
): Exchange {
  if (outcome.kind === 'timeout') {
    return { kind: 'unknown', code: 'TIMEOUT', message: `no answer within ${outcome.afterMs} ms` };
  }
  if (outcome.kind === 'networkError') {
    const code = outcome.delivered ? 'NETWORK_ERROR' : NOT_DELIVERED;
    return { kind: 'unknown', code, message: outcome.message };
  }
  const { reply } = outcome;
  const signature = checkSignature(reply);
  if (signature !== 'valid') {
    onUnverified?.(signature);
    const what = signature === 'missing' ? 'carries no signature' : 'has a signature that does not verify';
    logger.warn(`${label}: the HTTP ${reply.status} response ${what}; treated as unknown (U)`);
    return signature === 'missing'
      ? { kind: 'unknown', code: 'MISSING_RESPONSE_SIGNATURE', message: 'response is not signed' }
      : {
          kind: 'unknown',
          code: 'INVALID_RESPONSE_SIGNATURE',
          message: 'response signature does not verify',
        };
  }
  const json = parseJsonObject(reply.body);
  if (!json)
    return {
      kind: 'unknown',
      code: 'UNREADABLE_RESPONSE',
      message: `HTTP ${reply.status}, body is not JSON`,
    };
  return { kind: 'answer', body: json };
}

/** Where the clients report what an operator must see (bad response signature, retries). */
export interface ClientLogger {
  warn(message: string): void;
}

export const silentLogger: ClientLogger = { warn: () => undefined };

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
