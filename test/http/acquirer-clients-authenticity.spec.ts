/**
 * An acquirer's answer is believed only when its signature verifies: a real HTTP server answers
 * S or F to capture, inquiryPayment and cancel of both clients, unsigned, signed with a key
 * that is not the acquirer's, and signed properly. Only the last one is taken at its word; the
 * others are U (never applied as S or F), reported with their reason.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AntomClient } from '../../src/acquirers/antom/antom-client';
import { signAntomMessage } from '../../src/acquirers/antom/antom-signature';
import type { RetryPolicy } from '../../src/acquirers/call-policy';
import { PayermaxClient } from '../../src/acquirers/payermax/payermax-client';
import { signPayermaxBody } from '../../src/acquirers/payermax/payermax-signature';
import type { CallStatus } from '../../src/capture/ports/acquirer-port';
import { generateTestKeyPair } from '../fixtures/seed-bodies';

const merchant = generateTestKeyPair();
const acquirer = generateTestKeyPair();
const stranger = generateTestKeyPair();
const CLIENT_ID = 'LIVE_AUTHENTICITY';
const ONCE: RetryPolicy = { retries: 0, backoffMs: 0 };

type Signing = 'none' | 'stranger' | 'valid';
let signing: Signing = 'valid';
let payload: object = {};
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = JSON.stringify(payload);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const key = signing === 'stranger' ? stranger.privateKey : acquirer.privateKey;
      if (signing !== 'none' && req.url!.startsWith('/ams/')) {
        const responseTime = '2026-01-01T00:00:00+00:00';
        headers['client-id'] = CLIENT_ID;
        headers['response-time'] = responseTime;
        headers.signature = signAntomMessage(key, {
          method: 'POST',
          path: req.url!,
          clientId: CLIENT_ID,
          requestTime: responseTime,
          body,
        });
      } else if (signing !== 'none') {
        headers.sign = signPayermaxBody(key, body);
      }
      res.writeHead(200, headers).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const reported: string[] = [];
const warnings: string[] = [];
beforeEach(() => {
  reported.length = 0;
  warnings.length = 0;
});
const observer = {
  onUnverifiedReply: (reason: string) => void reported.push(reason),
  logger: { warn: (message: string) => void warnings.push(message) },
};

const antom = () =>
  new AntomClient({
    settings: {
      baseUrl,
      clientId: CLIENT_ID,
      merchantPrivateKey: merchant.privateKey,
      publicKey: acquirer.publicKey,
      notifyPath: '/webhooks/antom',
    },
    timeoutMs: 2000,
    retry: ONCE,
    ...observer,
  });
const payermax = () =>
  new PayermaxClient({
    settings: {
      baseUrl,
      appId: 'APP',
      merchantNo: 'M1',
      merchantPrivateKey: merchant.privateKey,
      publicKey: acquirer.publicKey,
      amountUnit: 'minor',
    },
    timeoutMs: 2000,
    retry: ONCE,
    ...observer,
  });

const captureCall = {
  paymentId: 'PAY-1',
  captureRequestId: 'CR-1',
  amount: { currency: 'USD', value: '1000' },
  isLast: true,
};
const ref = { paymentId: 'PAY-1', paymentRequestId: null };
const antomResult = (status: 'S' | 'F') => ({
  result:
    status === 'S'
      ? { resultStatus: 'S', resultCode: 'SUCCESS', resultMessage: 'success' }
      : { resultStatus: 'F', resultCode: 'USER_BALANCE_NOT_ENOUGH', resultMessage: 'retry later' },
});
const payermaxResult = (status: 'S' | 'F') => ({
  code: 'APPLY_SUCCESS',
  msg: 'Success.',
  data:
    status === 'S'
      ? { status: 'SUCCESS', captureNo: 'N1', amount: '1000', currency: 'USD' }
      : { status: 'FAILED', errorCode: 'USER_BALANCE_NOT_ENOUGH' },
});

/** Each operation, the wire answer for S or F, and how to call it and read its status. */
const OPERATIONS: Array<[string, (s: 'S' | 'F') => object, () => Promise<CallStatus>]> = [
  ['antom capture', antomResult, async () => (await antom().capture(captureCall)).status],
  ['antom cancel', antomResult, async () => (await antom().cancel(ref, 'unused')).status],
  ['payermax capture', payermaxResult, async () => (await payermax().capture(captureCall)).status],
  ['payermax cancel', payermaxResult, async () => (await payermax().cancel(ref, 'CANCEL-1')).status],
];

describe.each(OPERATIONS)('%s', (_name, wire, run) => {
  it.each(['S', 'F'] as const)('believes a properly signed %s', async (status) => {
    payload = wire(status);
    signing = 'valid';
    expect(await run()).toBe(status);
    expect(reported).toEqual([]);
  });

  it.each(['S', 'F'] as const)('takes an unsigned %s as U (reason: missing)', async (status) => {
    payload = wire(status);
    signing = 'none';
    expect(await run()).toBe('U');
    expect(reported).toEqual(['missing']);
    // Said once, with the API path and HTTP status only: never the body it did not believe.
    expect(warnings).toEqual([
      expect.stringMatching(/ HTTP 200 response carries no signature; treated as unknown/),
    ]);
    expect(warnings[0]).not.toMatch(/SUCCESS|FAILED|USER_BALANCE|APPLY_SUCCESS/);
  });

  it.each(['S', 'F'] as const)(
    'takes an %s signed with another key as U (reason: invalid)',
    async (status) => {
      payload = wire(status);
      signing = 'stranger';
      expect(await run()).toBe('U');
      expect(reported).toEqual(['invalid']);
    },
  );
});

describe('antom inquiryPayment', () => {
  const inquiry = {
    ...antomResult('S'),
    paymentStatus: 'SUCCESS',
    transactions: [
      {
        transactionType: 'CAPTURE',
        transactionStatus: 'SUCCESS',
        transactionRequestId: 'CR-1',
        transactionAmount: { currency: 'USD', value: '1000' },
        transactionResult: { resultStatus: 'S', resultCode: 'SUCCESS' },
      },
    ],
  };

  it('believes a properly signed answer', async () => {
    payload = inquiry;
    signing = 'valid';
    const result = await antom().inquire(ref);
    expect(result.captures).toEqual([expect.objectContaining({ captureRequestId: 'CR-1', status: 'S' })]);
    expect(reported).toEqual([]);
  });

  it.each([
    ['none', 'missing', 'MISSING_RESPONSE_SIGNATURE'],
    ['stranger', 'invalid', 'INVALID_RESPONSE_SIGNATURE'],
  ] as const)('fails (throws, as an unanswered inquiry does) when signed %s', async (how, reason, code) => {
    payload = inquiry;
    signing = how;
    await expect(antom().inquire(ref)).rejects.toMatchObject({ name: 'AcquirerCallError', resultCode: code });
    expect(reported).toEqual([reason]);
  });
});
