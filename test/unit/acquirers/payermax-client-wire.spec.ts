/**
 * The PayerMax client's envelope and amounts, read by a bare HTTP server, and how `{code, msg,
 * data}` responses become S/F/U.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { PayermaxClient } from '../../../src/acquirers/payermax/payermax-client';
import { signPayermaxBody, verifyPayermaxBody } from '../../../src/acquirers/payermax/payermax-signature';
import {
  fromPayermaxAmount,
  payermaxCancelResult,
  payermaxCaptureResult,
  toPayermaxAmount,
} from '../../../src/acquirers/payermax/payermax-wire';
import type { PayermaxSettings } from '../../../src/capture/options/capture-options';
import { generateTestKeyPair } from '../../fixtures/seed-bodies';

const merchant = generateTestKeyPair();
const payermaxKeys = generateTestKeyPair();
const seen: Array<{ path: string; headers: IncomingHttpHeaders; body: string }> = [];
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const body = JSON.stringify({
        code: 'APPLY_SUCCESS',
        msg: 'Success.',
        data: { status: 'SUCCESS', captureNo: 'N1' },
      });
      // Signed as PayerMax signs: an unsigned answer would be taken as U.
      const sign = signPayermaxBody(payermaxKeys.privateKey, body);
      res.writeHead(200, { 'content-type': 'application/json', sign }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const settings = (amountUnit: 'major' | 'minor'): PayermaxSettings => ({
  baseUrl,
  appId: 'APP',
  merchantNo: 'M1',
  merchantPrivateKey: merchant.privateKey,
  publicKey: payermaxKeys.publicKey,
  amountUnit,
});
const at = new Date('2025-02-03T04:05:06.789Z');

describe('PayerMax client on the wire', () => {
  it('sends the documented envelope, signed over the exact body in the sign header (plain base64)', async () => {
    seen.length = 0;
    const client = new PayermaxClient({
      settings: settings('major'),
      timeoutMs: 2000,
      clock: { now: () => at },
    });
    const result = await client.capture({
      paymentId: 'OUT-1',
      captureRequestId: 'REQ-1',
      amount: { currency: 'KWD', value: '1005' },
      isLast: true,
    });
    expect(result).toMatchObject({ status: 'S', captureId: 'N1' });
    const [req] = seen;
    expect(req!.path).toBe('/aggregate-pay/api/gateway/capture');
    expect(req!.body).toBe(
      '{"version":"1.4","keyVersion":"1","requestTime":"2025-02-03T04:05:06.789Z","appId":"APP","merchantNo":"M1",' +
        '"data":{"requestId":"REQ-1","outTradeNo":"OUT-1","currency":"KWD","amount":"1.005"}}',
    );
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers.sign).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(verifyPayermaxBody(merchant.publicKey, req!.body, req!.headers.sign as string)).toBe(true);
  });

  it('sends cancel with requestId and outTradeNo; refuses to cancel without an outTradeNo', async () => {
    seen.length = 0;
    const client = new PayermaxClient({
      settings: settings('minor'),
      timeoutMs: 2000,
      clock: { now: () => at },
    });
    expect((await client.cancel({ paymentId: 'OUT-2', paymentRequestId: null }, 'CANCEL-1')).status).toBe(
      'S',
    );
    expect(seen[0]!.path).toBe('/aggregate-pay/api/gateway/cancel');
    expect(JSON.parse(seen[0]!.body).data).toEqual({ requestId: 'CANCEL-1', outTradeNo: 'OUT-2' });
    expect(await client.cancel({ paymentId: null, paymentRequestId: 'R' }, 'C')).toMatchObject({
      status: 'F',
      resultCode: 'PARAM_ILLEGAL',
    });
  });
});

describe('PayerMax amounts (ISO 4217 exponent, via money.ts)', () => {
  it.each([
    ['JPY', '1500', '1500'],
    ['USD', '1234', '12.34'],
    ['USD', '5', '0.05'],
    ['KWD', '1234', '1.234'],
    ['KWD', '7', '0.007'],
  ])('%s %s minor is "%s" in major units, and back', (currency, minor, major) => {
    expect(toPayermaxAmount({ currency, value: minor }, 'major')).toBe(major);
    expect(toPayermaxAmount({ currency, value: minor }, 'minor')).toBe(minor);
    expect(fromPayermaxAmount(major, currency, 'major')).toBe(minor);
    expect(fromPayermaxAmount(minor, currency, 'minor')).toBe(minor);
  });

  it('reads JSON numbers, and refuses what it cannot read exactly', () => {
    expect(fromPayermaxAmount(12.5, 'USD', 'major')).toBe('1250');
    expect(fromPayermaxAmount('12.345', 'USD', 'major')).toBeUndefined();
    expect(fromPayermaxAmount('1.5', 'JPY', 'major')).toBeUndefined();
    expect(fromPayermaxAmount('12.5', 'USD', 'minor')).toBeUndefined();
    expect(fromPayermaxAmount(null, 'USD', 'major')).toBeUndefined();
  });
});

describe('PayerMax responses in our terms', () => {
  const data = (over: Record<string, unknown>) => ({
    code: 'APPLY_SUCCESS',
    msg: 'Success.',
    data: { captureNo: 'N', amount: '12.34', currency: 'USD', ...over },
  });

  it('SUCCESS is S with the amount in minor units; FAILED is F with errorCode; PENDING is U', () => {
    expect(payermaxCaptureResult(data({ status: 'SUCCESS' }), 'USD', 'major')).toEqual({
      status: 'S',
      resultCode: 'SUCCESS',
      captureId: 'N',
      amount: { currency: 'USD', value: '1234' },
    });
    expect(
      payermaxCaptureResult(
        data({ status: 'FAILED', errorCode: 'AUTH_EXPIRED', errorMsg: 'late' }),
        'USD',
        'major',
      ),
    ).toEqual({ status: 'F', resultCode: 'AUTH_EXPIRED', resultMessage: 'late', captureId: 'N' });
    expect(payermaxCaptureResult(data({ status: 'FAILED' }), 'USD', 'major').resultCode).toBe(
      'CAPTURE_FAILED',
    );
    expect(payermaxCaptureResult(data({ status: 'PENDING' }), 'USD', 'major').status).toBe('U');
    expect(payermaxCaptureResult(data({ status: 'WHATEVER' }), 'USD', 'major').status).toBe('U');
  });

  it('a refused request is F with its code, except "try again later" codes (U)', () => {
    expect(payermaxCaptureResult({ code: 'PARAMS_INVALID', msg: 'bad' }, 'USD', 'major')).toEqual({
      status: 'F',
      resultCode: 'PARAMS_INVALID',
      resultMessage: 'bad',
    });
    for (const code of ['SYSTEM_ERROR', 'REQUEST_TIMEOUT', 'UNEXPECTED_ERROR']) {
      expect(payermaxCaptureResult({ code }, 'USD', 'major').status).toBe('U');
    }
    expect(payermaxCaptureResult({}, 'USD', 'major')).toMatchObject({
      status: 'U',
      resultCode: 'UNREADABLE_RESPONSE',
    });
  });

  it('cancel: accepted is S unless the data says otherwise', () => {
    expect(payermaxCancelResult({ code: 'APPLY_SUCCESS' }).status).toBe('S');
    expect(
      payermaxCancelResult({ code: 'APPLY_SUCCESS', data: { status: 'FAILED', errorCode: 'X' } }),
    ).toEqual({
      status: 'F',
      resultCode: 'X',
    });
    expect(payermaxCancelResult({ code: 'ORDER_NOT_EXIST' }).status).toBe('F');
  });
});
