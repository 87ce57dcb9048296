import { createSign } from 'node:crypto';
import { signPayermaxBody, verifyPayermaxBody } from '../../../src/acquirers/payermax/payermax-signature';
import {
  generateTestKeyPair,
  PAYERMAX_CAPTURE_SUCCESS,
  signPayermaxNotification,
} from '../../fixtures/seed-bodies';

const keys = generateTestKeyPair();
const other = generateTestKeyPair();
const body = PAYERMAX_CAPTURE_SUCCESS;

/** A body whose signature contains '+' and '/', which must be sent and read as they are. */
function awkwardBody(): { text: string; sign: string } {
  for (let i = 0; ; i++) {
    const text = body.replace('"xxxxx"', `"req-${i}"`);
    const sign = signPayermaxBody(keys.privateKey, text);
    if (sign.includes('+') && sign.includes('/')) return { text, sign };
  }
}

describe('PayerMax signatures', () => {
  it('are SHA256withRSA over the raw body, plain base64 (known answer against an independent signer)', () => {
    const independent = createSign('RSA-SHA256').update(body, 'utf8').sign(keys.privateKey, 'base64');
    expect(signPayermaxBody(keys.privateKey, body)).toBe(independent);
    expect(signPayermaxBody(keys.privateKey, body)).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
  });

  it('round-trip with the body as a string or a Buffer', () => {
    const sign = signPayermaxBody(keys.privateKey, body);
    expect(verifyPayermaxBody(keys.publicKey, body, sign)).toBe(true);
    expect(verifyPayermaxBody(keys.publicKey, Buffer.from(body, 'utf8'), sign)).toBe(true);
    expect(verifyPayermaxBody(keys.publicKey, body, `  ${sign}\n`)).toBe(true);
  });

  it('verify signatures containing + and / as sent', () => {
    const { text, sign } = awkwardBody();
    expect(verifyPayermaxBody(keys.publicKey, text, sign)).toBe(true);
  });

  it('are not URL-decoded (PayerMax sends plain base64)', () => {
    const { text, sign } = awkwardBody();
    expect(verifyPayermaxBody(keys.publicKey, text, encodeURIComponent(sign))).toBe(false);
  });

  it.each<[string, string | Buffer]>([
    ['a tampered body', body.replace('SUCCESS', 'FAILED')],
    ['a re-serialized body', JSON.stringify(JSON.parse(body))],
    ['a trailing newline', `${body}\n`],
  ])('fail for %s', (_name, changed) => {
    expect(verifyPayermaxBody(keys.publicKey, changed, signPayermaxBody(keys.privateKey, body))).toBe(false);
  });

  it('fail with another key', () => {
    expect(verifyPayermaxBody(other.publicKey, body, signPayermaxBody(keys.privateKey, body))).toBe(false);
  });

  it.each([undefined, null, '', 'not base64!', 'AAAA'])('fail without throwing for %j', (sign) => {
    expect(verifyPayermaxBody(keys.publicKey, body, sign)).toBe(false);
  });

  it('match the fixture helper the HTTP tests use', () => {
    const headers = signPayermaxNotification(body, keys.privateKey);
    expect(headers['content-type']).toBe('application/json');
    expect(verifyPayermaxBody(keys.publicKey, body, headers.sign)).toBe(true);
  });
});
