import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { parseKey, parsePrivateKey, parsePublicKey } from '../../../src/acquirers/keys';
import { generateTestKeyPair } from '../../fixtures/seed-bodies';

const keys = generateTestKeyPair();
const pkcs1Private = keys.privateKey.export({ format: 'der', type: 'pkcs1' }).toString('base64');
const pemLines = keys.publicKeyPem.trim().split('\n');
const truncatedPem = [pemLines[0], pemLines[1], pemLines[pemLines.length - 1]].join('\n');
const pkcs1PublicPem = keys.publicKey.export({ format: 'pem', type: 'pkcs1' }).toString();

const KEY_FRAGMENTS = [
  'MII',
  'sk_live',
  'base64!',
  ...[keys.privateKeyBase64, keys.publicKeyBase64].flatMap((k) => [k.slice(30, 46), k.slice(200, 216)]),
];

function worksAsPair(privateText: string, publicText: string): boolean {
  const data = Buffer.from('payload');
  const signature = sign('sha256', data, parsePrivateKey(privateText, 'PRIVATE'));
  return verify('sha256', data, parsePublicKey(publicText, 'PUBLIC'), signature);
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('parseKey', () => {
  it('parses bare base64 DER (PKCS#8 private, SPKI public) into KeyObjects', () => {
    const priv = parsePrivateKey(keys.privateKeyBase64, 'ANTOM_MERCHANT_PRIVATE_KEY');
    const pub = parsePublicKey(keys.publicKeyBase64, 'ANTOM_PUBLIC_KEY');
    expect(priv.type).toBe('private');
    expect(pub.type).toBe('public');
    expect(worksAsPair(keys.privateKeyBase64, keys.publicKeyBase64)).toBe(true);
  });

  it('parses PEM', () => {
    expect(worksAsPair(keys.privateKeyPem, keys.publicKeyPem)).toBe(true);
  });

  it('accepts base64 DER wrapped over lines and PEM with literal \\n sequences (environment files)', () => {
    const wrapped = keys.privateKeyBase64.replace(/(.{64})/g, '$1\n');
    const escapedPem = keys.publicKeyPem.replace(/\n/g, '\\n');
    expect(worksAsPair(`  ${wrapped}  `, escapedPem)).toBe(true);
  });

  it('accepts PKCS#1 encodings as well', () => {
    expect(worksAsPair(pkcs1Private, pkcs1PublicPem)).toBe(true);
  });

  it('works through the generic entry point', () => {
    expect(parseKey(keys.publicKeyBase64, 'public', 'X').type).toBe('public');
  });

  describe('errors name the role and never echo the key', () => {
    const cases: [string, () => unknown, RegExp][] = [
      ['empty', () => parsePublicKey('', 'ANTOM_PUBLIC_KEY'), /ANTOM_PUBLIC_KEY: the public key is empty/],
      [
        'undefined',
        () => parsePrivateKey(undefined, 'PAYERMAX_KEY'),
        /PAYERMAX_KEY: the private key is empty/,
      ],
      [
        'not base64',
        () => parsePrivateKey('sk_live_this-is-not*base64!', 'ANTOM_MERCHANT_PRIVATE_KEY'),
        /ANTOM_MERCHANT_PRIVATE_KEY: cannot parse the private key as PEM or base64 DER/,
      ],
      [
        'truncated DER',
        () => parsePrivateKey(keys.privateKeyBase64.slice(0, 400), 'ANTOM_MERCHANT_PRIVATE_KEY'),
        /cannot parse the private key as base64 DER \(expected an RSA PKCS#8 private key\)/,
      ],
      [
        'broken PEM',
        () => parsePublicKey(truncatedPem, 'PAYERMAX_PUBLIC_KEY'),
        /PAYERMAX_PUBLIC_KEY: cannot parse the public key as PEM/,
      ],
      [
        'private DER where a public key belongs',
        () => parsePublicKey(keys.privateKeyBase64, 'ANTOM_PUBLIC_KEY'),
        /ANTOM_PUBLIC_KEY: this is a private key; a public key is required here/,
      ],
      [
        'private PEM where a public key belongs',
        () => parsePublicKey(keys.privateKeyPem, 'ANTOM_PUBLIC_KEY'),
        /this is a private key/,
      ],
      [
        'public DER where a private key belongs',
        () => parsePrivateKey(keys.publicKeyBase64, 'ANTOM_MERCHANT_PRIVATE_KEY'),
        /this is a public key; a private key is required here/,
      ],
      [
        'public PEM where a private key belongs',
        () => parsePrivateKey(keys.publicKeyPem, 'K'),
        /this is a public key/,
      ],
    ];
    it.each(cases)('%s', (_name, fn, message) => {
      const error = errorOf(fn);
      expect(error.message).toMatch(message);
      for (const fragment of KEY_FRAGMENTS) expect(error.message).not.toContain(fragment);
    });

    it('refuses a key that is not RSA', () => {
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const der = ec.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
      const error = errorOf(() => parsePrivateKey(der, 'ANTOM_MERCHANT_PRIVATE_KEY'));
      expect(error.message).toBe('ANTOM_MERCHANT_PRIVATE_KEY: expected an RSA private key, got ec');
    });
  });
});
