import { createSign } from 'node:crypto';
import {
  antomSignedPath,
  contentToSign,
  decodeSignature,
  parseSignatureHeader,
  signAntomBase64,
  signAntomMessage,
  verifyAntomMessage,
  verifyAntomNotification,
  type AntomSignedMessage,
} from '../../../src/acquirers/antom/antom-signature';
import { headerValue } from '../../../src/acquirers/headers';
import {
  ANTOM_CAPTURE_SUCCESSFUL,
  generateTestKeyPair,
  signAntomNotification,
  TEST_ANTOM_NOTIFY_PATH,
} from '../../fixtures/seed-bodies';

const keys = generateTestKeyPair();
const other = generateTestKeyPair();

const message: AntomSignedMessage = {
  method: 'POST',
  path: '/webhooks/antom',
  clientId: 'SANDBOX_5YTEST0000000001',
  requestTime: '2025-03-16T19:27:20-07:00',
  body: ANTOM_CAPTURE_SUCCESSFUL,
};

/** A message whose base64 signature contains '+', '/' and '=' (the characters that get mangled). */
function awkwardMessage(): { msg: AntomSignedMessage; base64: string } {
  for (let i = 0; ; i++) {
    const msg = { ...message, requestTime: String(1700000000000 + i) };
    const base64 = signAntomBase64(keys.privateKey, msg);
    if (base64.includes('+') && base64.includes('/') && base64.includes('=')) return { msg, base64 };
  }
}

describe('contentToSign (known answer)', () => {
  it('is `<METHOD> <path>\\n<client-id>.<request-time>.<body>` byte for byte', () => {
    const body = '{"captureAmount":{"currency":"JPY","value":"120"},"note":"caf\u00e9"}';
    const bytes = contentToSign(
      'post',
      '/ams/api/v1/payments/capture?x=1',
      'SANDBOX_5Y01',
      '1700000000000',
      body,
    );
    const expected =
      'POST /ams/api/v1/payments/capture?x=1\nSANDBOX_5Y01.1700000000000.' +
      '{"captureAmount":{"currency":"JPY","value":"120"},"note":"caf\u00e9"}';
    expect(bytes.equals(Buffer.from(expected, 'utf8'))).toBe(true);
    expect(bytes.subarray(0, 6).toString('hex')).toBe('504f5354202f'); // "POST /": one space
    expect(bytes.indexOf(0x0a)).toBe('POST /ams/api/v1/payments/capture?x=1'.length);
    expect(bytes.subarray(-4).toString('hex')).toBe('c3a9227d'); // é as UTF-8, then "}
  });

  it('keeps a Buffer body as the exact bytes, even when they are not valid UTF-8', () => {
    const raw = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const bytes = contentToSign('POST', '/p', 'c', 't', raw);
    expect(bytes.subarray(-4).equals(raw)).toBe(true);
  });

  it('signs the content with RSA PKCS#1 v1.5 SHA-256, base64, then URL-encoded, in the full header', () => {
    const expectedContent = `POST /webhooks/antom\nSANDBOX_5YTEST0000000001.2025-03-16T19:27:20-07:00.${ANTOM_CAPTURE_SUCCESSFUL}`;
    const independent = createSign('RSA-SHA256')
      .update(expectedContent, 'utf8')
      .sign(keys.privateKey, 'base64');
    expect(signAntomBase64(keys.privateKey, message)).toBe(independent);
    expect(signAntomMessage(keys.privateKey, message)).toBe(
      `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(independent)}`,
    );
    // PKCS#1 v1.5 is deterministic: the same key and inputs always give the same header.
    expect(signAntomMessage(keys.privateKey, message)).toBe(signAntomMessage(keys.privateKey, message));
  });
});

describe('verifyAntomMessage', () => {
  const header = signAntomMessage(keys.privateKey, message);

  it('round-trips, with the body as a string or as the raw Buffer', () => {
    expect(verifyAntomMessage(keys.publicKey, message, header)).toBe(true);
    const asBuffer = { ...message, body: Buffer.from(ANTOM_CAPTURE_SUCCESSFUL, 'utf8') };
    expect(verifyAntomMessage(keys.publicKey, asBuffer, header)).toBe(true);
  });

  it.each<[string, Partial<AntomSignedMessage>]>([
    ['a tampered body', { body: ANTOM_CAPTURE_SUCCESSFUL.replace('50000', '50001') }],
    ['a re-serialized body', { body: JSON.stringify(JSON.parse(ANTOM_CAPTURE_SUCCESSFUL)) }],
    ['a wrong path', { path: '/webhooks/antom/' }],
    ['a wrong client id', { clientId: 'SANDBOX_5YTEST0000000002' }],
    ['a wrong request time', { requestTime: '2025-03-16T19:27:21-07:00' }],
    ['a wrong method', { method: 'PUT' }],
  ])('fails for %s', (_name, change) => {
    expect(verifyAntomMessage(keys.publicKey, { ...message, ...change }, header)).toBe(false);
  });

  it('fails with another public key', () => {
    expect(verifyAntomMessage(other.publicKey, message, header)).toBe(false);
  });

  it('verifies signatures containing +, / and = whether URL-encoded or not', () => {
    const { msg, base64 } = awkwardMessage();
    const encoded = encodeURIComponent(base64);
    expect(encoded).toMatch(/%2B/);
    for (const signature of [
      encoded,
      base64,
      encoded.replace(/%2B/g, '%2b').replace(/%2F/g, '%2f'),
      base64.replace(/=/g, '%3D'), // partly encoded: '+' stays '+', never a space
    ]) {
      expect(
        verifyAntomMessage(keys.publicKey, msg, `algorithm=RSA256,keyVersion=1,signature=${signature}`),
      ).toBe(true);
    }
  });

  it('does not read a space as +', () => {
    const { msg, base64 } = awkwardMessage();
    const mangled = base64.replace(/\+/g, ' ');
    expect(verifyAntomMessage(keys.publicKey, msg, `signature=${mangled}`)).toBe(false);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['no signature part', 'algorithm=RSA256,keyVersion=1'],
    ['another algorithm', header.replace('RSA256', 'RSA512')],
    ['broken percent-encoding', 'signature=%E0%A4%A'],
    ['non-base64 text', 'signature=not*base64'],
    ['a repeated signature key', `${header},signature=abc`],
  ])('fails without throwing for %s', (_name, value) => {
    expect(verifyAntomMessage(keys.publicKey, message, value)).toBe(false);
  });
});

describe('parseSignatureHeader', () => {
  it('reads the SDK format', () => {
    expect(parseSignatureHeader('algorithm=RSA256,keyVersion=1,signature=a%2Bb%3D%3D')).toEqual({
      algorithm: 'RSA256',
      keyVersion: '1',
      signature: 'a%2Bb%3D%3D',
    });
  });

  it('tolerates spaces after commas, any key order, and unencoded base64 padding', () => {
    expect(parseSignatureHeader('signature=ab+/cd==, keyVersion=2,  algorithm=RSA256')).toEqual({
      algorithm: 'RSA256',
      keyVersion: '2',
      signature: 'ab+/cd==',
    });
  });

  it('accepts a bare signature part and ignores the case of the keys', () => {
    expect(parseSignatureHeader('Signature=abc')).toEqual({ signature: 'abc' });
  });

  it.each(['', 'algorithm=RSA256', 'signature=', 'garbage', '=abc', 'signature=a,signature=b'])(
    'returns null for %j',
    (value) => {
      expect(parseSignatureHeader(value)).toBeNull();
    },
  );
});

describe('decodeSignature', () => {
  it('URL-decodes only when there is a %, and keeps + as +', () => {
    expect(decodeSignature('ab+/')?.toString('base64')).toBe('ab+/');
    expect(decodeSignature('ab%2B%2F')?.toString('base64')).toBe('ab+/');
    expect(decodeSignature('ab+%2F')?.toString('base64')).toBe('ab+/');
  });
});

describe('antomSignedPath', () => {
  it('rewrites /ams/api to /ams/sandbox/api for SANDBOX_ client ids only', () => {
    expect(antomSignedPath('/ams/api/v1/payments/capture', 'SANDBOX_5Y01')).toBe(
      '/ams/sandbox/api/v1/payments/capture',
    );
    expect(antomSignedPath('/ams/api/v1/payments/capture', '5Y01')).toBe('/ams/api/v1/payments/capture');
    expect(antomSignedPath('/ams/sandbox/api/v1/payments/capture', 'SANDBOX_5Y01')).toBe(
      '/ams/sandbox/api/v1/payments/capture',
    );
    expect(antomSignedPath('/webhooks/antom', 'SANDBOX_5Y01')).toBe('/webhooks/antom');
  });

  it('is the path the signature covers', () => {
    const clientId = 'SANDBOX_5Y01';
    const path = antomSignedPath('/ams/api/v1/payments/capture', clientId);
    const msg = { ...message, clientId, path };
    const header = signAntomMessage(keys.privateKey, msg);
    expect(verifyAntomMessage(keys.publicKey, msg, header)).toBe(true);
    expect(verifyAntomMessage(keys.publicKey, { ...msg, path: '/ams/api/v1/payments/capture' }, header)).toBe(
      false,
    );
  });
});

describe('verifyAntomNotification', () => {
  const headers = signAntomNotification(ANTOM_CAPTURE_SUCCESSFUL, keys.privateKey);

  it('verifies a signed seed body from its headers', () => {
    expect(
      verifyAntomNotification(keys.publicKey, TEST_ANTOM_NOTIFY_PATH, headers, ANTOM_CAPTURE_SUCCESSFUL),
    ).toBe(true);
  });

  it('reads header names case-insensitively', () => {
    const mixed = {
      'Client-Id': headers['client-id'],
      'REQUEST-TIME': headers['request-time'],
      Signature: headers.signature,
    };
    expect(headerValue(mixed, 'client-id')).toBe(headers['client-id']);
    expect(
      verifyAntomNotification(keys.publicKey, TEST_ANTOM_NOTIFY_PATH, mixed, ANTOM_CAPTURE_SUCCESSFUL),
    ).toBe(true);
  });

  it.each([
    ['a missing client-id', { ...headers, 'client-id': undefined }],
    ['a missing request-time', { ...headers, 'request-time': undefined }],
    ['a missing signature', { ...headers, signature: undefined }],
    ['a repeated signature header', { ...headers, signature: [headers.signature!, headers.signature!] }],
  ])('fails for %s', (_name, bag) => {
    expect(
      verifyAntomNotification(keys.publicKey, TEST_ANTOM_NOTIFY_PATH, bag, ANTOM_CAPTURE_SUCCESSFUL),
    ).toBe(false);
  });

  it('fails when the configured notify path differs from the signed one', () => {
    expect(verifyAntomNotification(keys.publicKey, '/hooks/antom', headers, ANTOM_CAPTURE_SUCCESSFUL)).toBe(
      false,
    );
  });
});
