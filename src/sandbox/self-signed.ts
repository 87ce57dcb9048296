/**
 * A self-signed certificate for the sandbox's TLS listener, made at start-up with node:crypto
 * alone (no openssl binary, no dependency): RSA 2048, SHA-256, valid for localhost, 127.0.0.1
 * and ::1 plus any names given. It is its own trust anchor: a client trusts exactly this
 * certificate (Node's `ca`, curl's --cacert, Python's cafile), so it carries the CA flag.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString,
  boolean,
  explicit,
  implicit,
  nullValue,
  objectId,
  octetString,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from './der';

export interface SelfSignedCertificate {
  certPem: string;
  keyPem: string;
}

export interface SelfSignedOptions {
  commonName?: string;
  /** DNS names and IP addresses besides localhost, 127.0.0.1 and ::1. */
  hosts?: string[];
  validDays?: number;
  now?: Date;
}

const OID = {
  sha256WithRsa: '1.2.840.113549.1.1.11',
  commonName: '2.5.4.3',
  subjectKeyId: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyId: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
};

const DAY = 86_400_000;

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return sequence(objectId(oid), ...(critical ? [boolean(true)] : []), octetString(value));
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  const [head = '', tail = ''] = ip.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const h = groups(head);
  const t = ip.includes('::') ? groups(tail) : [];
  const all = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return Buffer.from(all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

function generalNames(hosts: string[]): Buffer {
  return sequence(
    ...hosts.map((h) => (isIP(h) ? implicit(7, ipBytes(h)) : implicit(2, Buffer.from(h, 'ascii')))),
  );
}

/** keyUsage bits: digitalSignature (0), keyEncipherment (2), keyCertSign (5). */
const KEY_USAGE = bitString(Buffer.from([0b10100100]), 2);

export function createSelfSignedCertificate(options: SelfSignedOptions = {}): SelfSignedCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = options.now ?? new Date();
  const hosts = [...new Set(['localhost', '127.0.0.1', '::1', ...(options.hosts ?? [])])];
  const name = sequence(
    set(sequence(objectId(OID.commonName), utf8String(options.commonName ?? 'order-capture sandbox'))),
  );
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const keyId = createHash('sha1').update(subjectPublicKeyBits(spki)).digest();
  const algorithm = sequence(objectId(OID.sha256WithRsa), nullValue());
  const tbs = sequence(
    explicit(0, smallInteger(2)), // v3
    unsignedInteger(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    algorithm,
    name,
    sequence(
      time(new Date(now.getTime() - DAY)),
      time(new Date(now.getTime() + (options.validDays ?? 365) * DAY)),
    ),
    name,
    spki,
    explicit(
      3,
      sequence(
        extension(OID.basicConstraints, true, sequence(boolean(true))),
        extension(OID.keyUsage, true, KEY_USAGE),
        extension(OID.extKeyUsage, false, sequence(objectId(OID.serverAuth))),
        extension(OID.subjectAltName, false, generalNames(hosts)),
        extension(OID.subjectKeyId, false, octetString(keyId)),
        extension(OID.authorityKeyId, false, sequence(implicit(0, keyId))),
      ),
    ),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, algorithm, bitString(signature));
  return { certPem: pem('CERTIFICATE', der), keyPem: exportKey(privateKey) };
}

/** The subjectPublicKey BIT STRING's content (RFC 5280's key identifier method 1 hashes it). */
function subjectPublicKeyBits(spki: Buffer): Buffer {
  // SPKI = SEQUENCE { AlgorithmIdentifier, BIT STRING }: skip the outer header and the algorithm.
  const headerLength = (at: number) =>
    spki.readUInt8(at + 1) & 0x80 ? 2 + (spki.readUInt8(at + 1) & 0x7f) : 2;
  const contentLength = (at: number) => {
    const first = spki.readUInt8(at + 1);
    if (!(first & 0x80)) return first;
    return spki.subarray(at + 2, at + 2 + (first & 0x7f)).reduce((n, b) => n * 256 + b, 0);
  };
  const algorithmAt = headerLength(0);
  const bitsAt = algorithmAt + headerLength(algorithmAt) + contentLength(algorithmAt);
  return spki.subarray(
    bitsAt + headerLength(bitsAt) + 1,
    bitsAt + headerLength(bitsAt) + contentLength(bitsAt),
  );
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function exportKey(key: KeyObject): string {
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}
