import type { FastifyReply } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiException } from '../errors/api-error';

/**
 * Bearer tokens, compared over fixed-length digests in constant time, so that neither a
 * token's content nor its length leaks through timing. Shared by the admin and ops guards.
 */
export function tokenDigest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The token of an `Authorization: Bearer <token>` header; undefined when there is none. */
export function presentedBearer(header: unknown): string | undefined {
  return typeof header === 'string' ? /^Bearer +(\S+) *$/i.exec(header)?.[1] : undefined;
}

/** True only when a token was presented and one is expected (null: nothing can match). */
export function bearerMatches(presented: string | undefined, expected: Buffer | null): boolean {
  return expected !== null && presented !== undefined && timingSafeEqual(tokenDigest(presented), expected);
}

/** The 401 message: what to send when nothing was, or that what was sent is wrong. */
export function unauthorizedMessage(presented: string | undefined, tokenName: string): string {
  return presented === undefined
    ? `a bearer token is required (Authorization: Bearer <${tokenName}>)`
    : 'invalid bearer token';
}

export function unauthorized(
  reply: FastifyReply,
  presented: string | undefined,
  tokenName: string,
): ApiException {
  void reply.header('www-authenticate', 'Bearer');
  return new ApiException(401, unauthorizedMessage(presented, tokenName));
}
