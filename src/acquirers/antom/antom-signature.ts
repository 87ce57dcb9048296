/**
 * Antom (AMS/APO) message signatures, byte for byte as the official SDKs' SignatureTool:
 * RSA PKCS#1 v1.5 with SHA-256 over `<METHOD> <path>\n<client-id>.<time>.<body>`, base64, then
 * URL-encoded into `Signature: algorithm=RSA256,keyVersion=1,signature=<...>`.
 *
 * The same functions serve requests we send (time = our Request-Time), notifications we
 * receive (time = their request-time header) and Antom's responses (time = response-time).
 */
import { sign, verify, type KeyObject } from 'node:crypto';
import { headerValue, type HeaderBag } from '../headers';

const ANTOM_SIGNATURE_ALGORITHM = 'RSA256';
const ANTOM_SANDBOX_CLIENT_PREFIX = 'SANDBOX_';

/** One signed Antom message. `body` is the exact bytes on the wire, never re-serialized JSON. */
export interface AntomSignedMessage {
  method: string;
  /** The request path as signed, with its query string if any. */
  path: string;
  clientId: string;
  /** The header value verbatim (epoch millis from the Java SDK, ISO 8601 from others). */
  requestTime: string;
  body: Buffer | string;
}

export interface AntomSignatureHeader {
  algorithm?: string;
  keyVersion?: string;
  /** As it appeared in the header: usually URL-encoded base64. */
  signature: string;
}

/**
 * The bytes that are signed. A Buffer, not a string: a body that is not valid UTF-8 must still
 * be verified over exactly the bytes that arrived.
 */
export function contentToSign(
  method: string,
  path: string,
  clientId: string,
  requestTime: string,
  body: Buffer | string,
): Buffer {
  const head = Buffer.from(`${method.toUpperCase()} ${path}\n${clientId}.${requestTime}.`, 'utf8');
  return Buffer.concat([head, typeof body === 'string' ? Buffer.from(body, 'utf8') : body]);
}

function messageBytes(m: AntomSignedMessage): Buffer {
  return contentToSign(m.method, m.path, m.clientId, m.requestTime, m.body);
}

/** The raw base64 signature (before URL encoding). */
export function signAntomBase64(privateKey: KeyObject, message: AntomSignedMessage): string {
  return sign('sha256', messageBytes(message), privateKey).toString('base64');
}

/** The complete `Signature` header value for a message we send. */
export function signAntomMessage(
  privateKey: KeyObject,
  message: AntomSignedMessage,
  keyVersion = '1',
): string {
  const encoded = encodeURIComponent(signAntomBase64(privateKey, message));
  return `algorithm=${ANTOM_SIGNATURE_ALGORITHM},keyVersion=${keyVersion},signature=${encoded}`;
}

/**
 * Reads `algorithm=RSA256,keyVersion=1,signature=...` in any key order, with or without spaces
 * after the commas. Returns null when there is no signature or a key is repeated: an ambiguous
 * header is treated as unsigned rather than guessed at.
 */
export function parseSignatureHeader(header: string | undefined | null): AntomSignatureHeader | null {
  if (!header) return null;
  const fields = new Map<string, string>();
  for (const part of header.split(',')) {
    const trimmed = part.trim();
    if (trimmed === '') continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) return null;
    const name = trimmed.slice(0, eq).trim().toLowerCase();
    // Only the first '=' separates: base64 padding keeps its own '=' characters.
    const value = trimmed.slice(eq + 1).trim();
    if (fields.has(name)) return null;
    fields.set(name, value);
  }
  const signature = fields.get('signature');
  if (!signature) return null;
  return { algorithm: fields.get('algorithm'), keyVersion: fields.get('keyversion'), signature };
}

/**
 * Decodes the signature text to bytes. URL-decodes only when there is a '%' (the SDKs encode,
 * but a proxy or a hand-written sender may not), and never maps '+' to a space the way form
 * decoders do: '+' is a base64 character.
 */
export function decodeSignature(text: string): Buffer | null {
  let base64 = text;
  if (base64.includes('%')) {
    try {
      base64 = decodeURIComponent(base64);
    } catch {
      return null;
    }
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return null;
  return Buffer.from(base64, 'base64');
}

/**
 * Verifies a message against the whole `signature` header value. False for anything that does
 * not verify, including a missing or malformed header or an algorithm other than RSA256; it
 * never throws on input from the network.
 */
export function verifyAntomMessage(
  publicKey: KeyObject,
  message: AntomSignedMessage,
  signatureHeader: string | undefined | null,
): boolean {
  const parsed = parseSignatureHeader(signatureHeader);
  if (!parsed) return false;
  if (parsed.algorithm !== undefined && parsed.algorithm.toUpperCase() !== ANTOM_SIGNATURE_ALGORITHM) {
    return false;
  }
  const signature = decodeSignature(parsed.signature);
  if (!signature) return false;
  try {
    return verify('sha256', messageBytes(message), publicKey, signature);
  } catch {
    return false;
  }
}

/**
 * The path the SDKs sign for a client id: sandbox client ids call `/ams/sandbox/api/...`
 * instead of `/ams/api/...`, and the signature covers the rewritten path.
 */
export function antomSignedPath(path: string, clientId: string): string {
  if (!clientId.startsWith(ANTOM_SANDBOX_CLIENT_PREFIX)) return path;
  return path.startsWith('/ams/api/') || path === '/ams/api' ? `/ams/sandbox${path.slice(4)}` : path;
}

/**
 * A notification from Antom, as a controller sees it: `POST <our notify path>` signed with the
 * client-id and request-time headers it carries. `notifyPath` is the path Antom signed (the
 * configured ANTOM_NOTIFY_PATH), not necessarily the one a proxy forwarded to us.
 */
export function verifyAntomNotification(
  publicKey: KeyObject,
  notifyPath: string,
  headers: HeaderBag,
  rawBody: Buffer | string,
): boolean {
  const clientId = headerValue(headers, 'client-id');
  const requestTime = headerValue(headers, 'request-time');
  if (clientId === undefined || requestTime === undefined) return false;
  const message = { method: 'POST', path: notifyPath, clientId, requestTime, body: rawBody };
  return verifyAntomMessage(publicKey, message, headerValue(headers, 'signature'));
}
