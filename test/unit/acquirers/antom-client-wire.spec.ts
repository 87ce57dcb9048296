/**
 * The Antom client's bytes on the wire, read by a bare HTTP server (not the sandbox, so nothing
 * of ours interprets them), and how responses are read into S/F/U.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { AntomClient } from '../../../src/acquirers/antom/antom-client';
import { signAntomMessage, verifyAntomMessage } from '../../../src/acquirers/antom/antom-signature';
import {
  antomCaptureRecords,
  antomCaptureResult,
  antomInquiryResult,
  antomPaymentBody,
} from '../../../src/acquirers/antom/antom-wire';
import { callStatus } from '../../../src/acquirers/call-policy';
import type { AntomSettings } from '../../../src/capture/options/capture-options';
import { generateTestKeyPair } from '../../fixtures/seed-bodies';

const merchant = generateTestKeyPair();
const antom = generateTestKeyPair();

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];
/** What the server answers next: body and extra headers. */
let answer: (s: Seen) => { body: string; headers?: Record<string, string> } = () => ({ body: '{}' });

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(s);
      const { body, headers } = answer(s);
      res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  seen.length = 0;
});

const settings = (over: Partial<AntomSettings> = {}): AntomSettings => ({
  baseUrl,
  clientId: 'SANDBOX_WIRE',
  merchantPrivateKey: merchant.privateKey,
  publicKey: antom.publicKey,
  notifyPath: '/webhooks/antom',
  ...over,
});
const client = (over: Partial<AntomSettings> = {}) =>
  new AntomClient({
    settings: settings(over),
    timeoutMs: 2000,
    retry: { retries: 0, backoffMs: 0 },
    clock: { now: () => new Date(1700000000123) },
  });
const call = {
  paymentId: 'P1',
  captureRequestId: 'C1',
  amount: { currency: 'USD', value: '1000' },
  isLast: false,
};

/**
 * An Antom response signed the way Antom signs it: over the path Antom received, which a proxy
 * mounted under /proxy (the base URL's prefix) has stripped.
 */
function signed(s: Seen, payload: object | string, clientId = 'SANDBOX_WIRE') {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const responseTime = '2025-01-01T00:00:00+00:00';
  const signature = signAntomMessage(antom.privateKey, {
    method: 'POST',
    path: s.path.replace(/^\/proxy\//, '/'),
    clientId,
    requestTime: responseTime,
    body,
  });
  return { body, headers: { signature, 'response-time': responseTime, 'client-id': clientId } };
}

const success = {
  result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' },
  captureId: 'X1',
};

describe('Antom client on the wire', () => {
  it('sends the capture to the sandbox path for a SANDBOX_ client id, signed as the SDKs sign it', async () => {
    answer = (s) => signed(s, success);
    await client().capture(call);
    const [req] = seen;
    expect(req!.path).toBe('/ams/sandbox/api/v1/payments/capture');
    expect(req!.body).toBe(
      '{"captureRequestId":"C1","paymentId":"P1","captureAmount":{"currency":"USD","value":"1000"}}',
    );
    expect(req!.headers).toMatchObject({
      'content-type': 'application/json; charset=UTF-8',
      'client-id': 'SANDBOX_WIRE',
      'request-time': '1700000000123',
    });
    expect(req!.headers.signature).toMatch(/^algorithm=RSA256,keyVersion=1,signature=[A-Za-z0-9%]+$/);
    const message = {
      method: 'POST',
      path: req!.path,
      clientId: 'SANDBOX_WIRE',
      requestTime: '1700000000123',
      body: req!.body,
    };
    expect(verifyAntomMessage(merchant.publicKey, message, req!.headers.signature as string)).toBe(true);
  });

  it('uses the live path for other client ids, signs the API path alone under a base URL prefix (as the SDKs do), and sends isLastCapture', async () => {
    answer = (s) => signed(s, success, 'LIVE_1');
    const result = await client({ clientId: 'LIVE_1', baseUrl: `${baseUrl}/proxy` }).capture({
      ...call,
      isLast: true,
    });
    expect(result).toMatchObject({ status: 'S', captureId: 'X1' });
    const [req] = seen;
    expect(req!.path).toBe('/proxy/ams/api/v1/payments/capture');
    expect(JSON.parse(req!.body)).toMatchObject({ isLastCapture: true });
    const message = {
      method: 'POST',
      path: '/ams/api/v1/payments/capture',
      clientId: 'LIVE_1',
      requestTime: '1700000000123',
      body: req!.body,
    };
    expect(verifyAntomMessage(merchant.publicKey, message, req!.headers.signature as string)).toBe(true);
  });

  it('takes an unsigned response as U, and one signed for another client id too', async () => {
    answer = () => ({ body: JSON.stringify(success) });
    expect(await client().capture(call)).toMatchObject({
      status: 'U',
      resultCode: 'MISSING_RESPONSE_SIGNATURE',
    });
    answer = (s) => signed(s, success, 'SOMEONE_ELSE');
    expect(await client().capture(call)).toMatchObject({
      status: 'U',
      resultCode: 'INVALID_RESPONSE_SIGNATURE',
    });
  });

  it('reads a signed body that is not JSON as U', async () => {
    answer = (s) => signed(s, '<html>bad gateway</html>');
    expect(await client().capture(call)).toMatchObject({ status: 'U', resultCode: 'UNREADABLE_RESPONSE' });
  });

  it('sends inquiryPayment and cancel by paymentId (which wins over paymentRequestId)', async () => {
    answer = (s) => signed(s, { result: success.result, paymentStatus: 'SUCCESS', transactions: [] });
    await client().inquire({ paymentId: 'P1', paymentRequestId: 'R1' });
    answer = (s) => signed(s, { result: success.result });
    await client().cancel({ paymentId: null, paymentRequestId: 'R1' }, 'unused');
    expect(seen.map((s) => [s.path, s.body])).toEqual([
      ['/ams/sandbox/api/v1/payments/inquiryPayment', '{"paymentId":"P1"}'],
      ['/ams/sandbox/api/v1/payments/cancel', '{"paymentRequestId":"R1"}'],
    ]);
    expect(() => antomPaymentBody({ paymentId: null, paymentRequestId: null })).toThrow('paymentId');
  });
});

describe('Antom responses in our terms', () => {
  it.each([
    ['S', 'SUCCESS', 'S'],
    ['F', 'PROCESS_FAIL', 'F'],
    ['F', 'UNKNOWN_EXCEPTION', 'U'],
    ['U', 'CAPTURE_IN_PROCESS', 'U'],
    [undefined, 'SUCCESS', 'U'],
    ['s', 'SUCCESS', 'U'],
  ])('resultStatus %s with %s is %s (a success is never inferred)', (status, code, expected) => {
    expect(callStatus(status, code)).toBe(expected);
  });

  it('a capture response without a result object is U; an S keeps captureId and amount', () => {
    expect(antomCaptureResult({})).toMatchObject({ status: 'U', resultCode: 'UNREADABLE_RESPONSE' });
    expect(
      antomCaptureResult({
        ...success,
        captureAmount: { currency: 'JPY', value: '120' },
        captureRequestId: 'C',
      }),
    ).toEqual({
      status: 'S',
      resultCode: 'SUCCESS',
      resultMessage: 'success.',
      captureId: 'X1',
      amount: { currency: 'JPY', value: '120' },
    });
    expect(
      antomCaptureResult({ ...success, captureAmount: { currency: 'JPY', value: 120 } }).amount,
    ).toBeUndefined();
  });

  it('an inquiry answered F is a failure with its code', () => {
    expect(antomInquiryResult({ result: { resultStatus: 'F', resultCode: 'ORDER_NOT_EXIST' } })).toEqual({
      ok: false,
      status: 'F',
      resultCode: 'ORDER_NOT_EXIST',
    });
  });

  it('takes the CAPTURE transactions of an inquiry, matched by transactionRequestId', () => {
    const records = antomCaptureRecords([
      { transactionType: 'PAYMENT', transactionRequestId: 'pay', transactionResult: { resultStatus: 'S' } },
      {
        transactionType: 'CAPTURE',
        transactionStatus: 'FAIL',
        transactionRequestId: 'C1',
        transactionAmount: { currency: 'BRL', value: '110' },
        transactionId: 'T1',
        transactionResult: { resultStatus: 'F', resultCode: 'PROCESS_FAIL', resultMessage: 'No retry.' },
      },
      { transactionType: 'CAPTURE', transactionStatus: 'SUCCESS', transactionId: 'T2' },
      { transactionType: 'CAPTURE', transactionStatus: 'PROCESSING', transactionRequestId: 'C3' },
      { transactionType: 'CAPTURE', transactionStatus: 'SUCCESS' },
      'garbage',
    ]);
    expect(records).toEqual([
      {
        captureRequestId: 'C1',
        status: 'F',
        resultCode: 'PROCESS_FAIL',
        resultMessage: 'No retry.',
        captureId: 'T1',
        amount: { currency: 'BRL', value: '110' },
      },
      { captureRequestId: 'T2', status: 'S', captureId: 'T2' },
      { captureRequestId: 'C3', status: 'U' },
    ]);
    expect(antomCaptureRecords(undefined)).toEqual([]);
  });
});
