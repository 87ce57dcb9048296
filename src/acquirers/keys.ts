/**
 * Keys from configuration text, parsed once into KeyObjects: verifying with a cached KeyObject
 * is several times faster than handing PEM text to every crypto call (measured), and a key
 * that cannot be parsed should stop the start-up, not fail the first webhook.
 *
 * Both acquirers hand out bare base64 DER (merchant private key PKCS#8, acquirer public key
 * SPKI, which Java calls X.509); PEM is accepted too. Error messages name the key's role and
 * never contain the key text, because they end up in logs.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

export type KeyKind = 'private' | 'public';

const PEM = /-----BEGIN ([A-Z0-9 ]+)-----/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function parsePrivateKey(text: string | undefined, role: string): KeyObject {
  return parseKey(text, 'private', role);
}

export function parsePublicKey(text: string | undefined, role: string): KeyObject {
  return parseKey(text, 'public', role);
}

/** `role` names the key in errors, e.g. "ANTOM_PUBLIC_KEY". */
export function parseKey(text: string | undefined, kind: KeyKind, role: string): KeyObject {
  // Environment files often carry PEM with literal "\n" sequences instead of line breaks.
  const source = (text ?? '').replace(/\\n/g, '\n').trim();
  if (source === '') throw new Error(`${role}: the ${kind} key is empty`);

  const key = PEM.test(source) ? fromPem(source, kind, role) : fromDer(source, kind, role);
  if (key.asymmetricKeyType !== 'rsa') {
    throw new Error(`${role}: expected an RSA ${kind} key, got ${key.asymmetricKeyType ?? 'another type'}`);
  }
  return key;
}

function fromPem(pem: string, kind: KeyKind, role: string): KeyObject {
  const label = PEM.exec(pem)?.[1] ?? '';
  // createPublicKey would quietly derive a public key from private PEM: refuse the mix-up.
  if (kind === 'public' && label.includes('PRIVATE')) throw mixUp(role, kind);
  if (kind === 'private' && (label.includes('PUBLIC') || label.includes('CERTIFICATE'))) {
    throw mixUp(role, kind);
  }
  try {
    return kind === 'private' ? createPrivateKey({ key: pem, format: 'pem' }) : createPublicKey(pem);
  } catch {
    throw unreadable(role, kind, 'PEM');
  }
}

function fromDer(text: string, kind: KeyKind, role: string): KeyObject {
  const compact = text.replace(/\s+/g, '');
  if (!BASE64.test(compact)) throw unreadable(role, kind, 'PEM or base64 DER');
  const der = Buffer.from(compact, 'base64');
  const privateKey = tryPrivate(der);
  if (kind === 'private') {
    if (privateKey) return privateKey;
    throw tryPublic(der) ? mixUp(role, kind) : unreadable(role, kind, 'base64 DER');
  }
  // Checked first because Node would quietly derive a public key from private PKCS#1 DER.
  if (privateKey) throw mixUp(role, kind);
  const publicKey = tryPublic(der);
  if (publicKey) return publicKey;
  throw unreadable(role, kind, 'base64 DER');
}

/** PKCS#8 / SPKI is what the acquirers issue; PKCS#1 is what older openssl commands print. */
function tryPrivate(der: Buffer): KeyObject | undefined {
  for (const type of ['pkcs8', 'pkcs1'] as const) {
    try {
      return createPrivateKey({ key: der, format: 'der', type });
    } catch {
      // try the next encoding
    }
  }
  return undefined;
}

function tryPublic(der: Buffer): KeyObject | undefined {
  for (const type of ['spki', 'pkcs1'] as const) {
    try {
      return createPublicKey({ key: der, format: 'der', type });
    } catch {
      // try the next encoding
    }
  }
  return undefined;
}

function unreadable(role: string, kind: KeyKind, as: string): Error {
  const expected = kind === 'private' ? 'PKCS#8 private key' : 'SPKI (X.509) public key';
  return new Error(`${role}: cannot parse the ${kind} key as ${as} (expected an RSA ${expected})`);
}

function mixUp(role: string, kind: KeyKind): Error {
  const other = kind === 'private' ? 'public' : 'private';
  return new Error(`${role}: this is a ${other} key; a ${kind} key is required here`);
}
