/**
 * PayerMax message signatures: SHA256withRSA (PKCS#1 v1.5) over the entire raw HTTP body, sent
 * as plain base64 (not URL-encoded) in the `sign` header, in both directions. The body is
 * verified as the bytes that arrived, before any JSON parsing.
 */
import { sign, verify, type KeyObject } from 'node:crypto';

export const PAYERMAX_SIGN_HEADER = 'sign';

function bytes(body: Buffer | string): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/** The `sign` header value for a body we send. */
export function signPayermaxBody(privateKey: KeyObject, body: Buffer | string): string {
  return sign('sha256', bytes(body), privateKey).toString('base64');
}

/**
 * False for anything that does not verify, including an empty or non-base64 signature; never
 * throws on input from the network. Surrounding whitespace is ignored (header folding), but
 * nothing is URL-decoded: PayerMax documents plain base64, where '%' cannot occur.
 */
export function verifyPayermaxBody(
  publicKey: KeyObject,
  body: Buffer | string,
  signature: string | undefined | null,
): boolean {
  const text = signature?.trim() ?? '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return false;
  try {
    return verify('sha256', bytes(body), publicKey, Buffer.from(text, 'base64'));
  } catch {
    return false;
  }
}
