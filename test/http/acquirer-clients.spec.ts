/**
 * The Antom client against the sandbox acquirer over real HTTP on loopback: signatures checked
 * in both directions with real RSA keys, the sandbox's counts showing what reached the acquirer
 * and how many captures it made. (PayerMax: acquirer-clients-payermax.spec.ts.)
 */
import { AntomClient } from '../../src/acquirers/antom/antom-client';
import { AcquirerCallError, type RetryPolicy } from '../../src/acquirers/call-policy';
import type { AntomSettings } from '../../src/capture/options/capture-options';
import { classifyResultCode } from '../../src/capture/machine/result-codes';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox';
import { generateTestKeyPair } from '../fixtures/seed-bodies';
import { closedPort } from './sandbox.support';

const merchant = generateTestKeyPair();
const stranger = generateTestKeyPair();
const CLIENT_ID = 'SANDBOX_CLIENTS_TEST';
const FAST_RETRY: RetryPolicy = { retries: 2, backoffMs: 5 };

let sandbox: Sandbox;
let antomSettings: AntomSettings;
let seq = 0;
const newId = (prefix: string) => `${prefix}-${++seq}`;

const antom = (overrides: Partial<AntomSettings> = {}, timeoutMs = 2000, retry = FAST_RETRY) =>
  new AntomClient({ settings: { ...antomSettings, ...overrides }, timeoutMs, retry });

beforeAll(async () => {
  sandbox = await createSandbox({ merchantKeys: merchant, antom: { clientId: CLIENT_ID } });
  antomSettings = {
    baseUrl: sandbox.url,
    clientId: CLIENT_ID,
    merchantPrivateKey: merchant.privateKey,
    publicKey: sandbox.keys.sandboxPublicKey,
    notifyPath: '/webhooks/antom',
  };
});

afterAll(() => sandbox.close());

describe('Antom client against the sandbox', () => {
  const call = (paymentId: string, value = '1000', currency = 'USD') => ({
    paymentId,
    captureRequestId: newId('cap'),
    amount: { currency, value },
    isLast: false,
  });

  it('captures (S) with a signed request on the sandbox path and a verified, signed response', async () => {
    const c = call(newId('pay'));
    const result = await antom().capture(c);
    expect(result).toMatchObject({
      status: 'S',
      resultCode: 'SUCCESS',
      amount: { currency: 'USD', value: '1000' },
    });
    expect(result.captureId).toEqual(sandbox.capture(c.captureRequestId)?.captureId);
    expect(sandbox.counts(c.paymentId).byPaymentId[c.paymentId]).toMatchObject({
      calls: 1,
      captures: 1,
      succeeded: 1,
    });
  });

  it('also works with a live (non-SANDBOX_) client id on the live path', async () => {
    const other = await createSandbox({ merchantKeys: merchant, antom: { clientId: 'LIVE_CLIENT' } });
    try {
      const client = new AntomClient({
        settings: {
          ...antomSettings,
          baseUrl: other.url,
          clientId: 'LIVE_CLIENT',
          publicKey: other.keys.sandboxPublicKey,
        },
        timeoutMs: 2000,
      });
      expect((await client.capture(call(newId('pay')))).status).toBe('S');
    } finally {
      await other.close();
    }
  });

  it('is refused by the sandbox when signed with the wrong key; nothing is captured', async () => {
    const c = call(newId('pay'));
    const before = sandbox.counts().refused;
    const result = await antom({ merchantPrivateKey: stranger.privateKey }).capture(c);
    expect(result).toMatchObject({ status: 'F', resultCode: 'INVALID_SIGNATURE' });
    expect(sandbox.counts().refused).toBe(before + 1);
    expect(sandbox.capture(c.captureRequestId)).toBeUndefined();
  });

  it('treats a response whose signature does not verify as U (the capture did happen)', async () => {
    const c = call(newId('pay'));
    const result = await antom({ publicKey: stranger.publicKey }, 2000, { retries: 1, backoffMs: 5 }).capture(
      c,
    );
    expect(result).toMatchObject({ status: 'U', resultCode: 'INVALID_RESPONSE_SIGNATURE' });
    expect(sandbox.counts(c.paymentId).byPaymentId[c.paymentId]).toMatchObject({
      calls: 2,
      captures: 1,
      succeeded: 1,
    });
  });

  it.each([
    ['AUTH_EXPIRED', 'authGone'],
    ['PROCESS_FAIL', 'needsHuman'],
    ['USER_BALANCE_NOT_ENOUGH', 'retry'],
  ])('reports F %s (classified %s) without repeating the call', async (code, klass) => {
    const c = call(newId('pay'));
    sandbox.script(c.paymentId, { status: 'F', code });
    const result = await antom().capture(c);
    expect(result).toMatchObject({ status: 'F', resultCode: code });
    expect(classifyResultCode(result.resultCode)).toBe(klass);
    expect(sandbox.counts(c.paymentId).byCaptureRequestId[c.captureRequestId]!.calls).toBe(1);
  });

  it('repeats a U with the same captureRequestId and returns U; the inquiry then shows the capture', async () => {
    const c = call(newId('pay'));
    sandbox.script(c.paymentId, { status: 'U' }); // stays U until resolved (the default)
    const result = await antom().capture(c);
    expect(result).toMatchObject({ status: 'U', resultCode: 'CAPTURE_IN_PROCESS' });
    const counts = sandbox.counts(c.paymentId);
    expect(counts.byCaptureRequestId[c.captureRequestId]!.calls).toBe(3);
    expect(counts.byPaymentId[c.paymentId]).toMatchObject({ captures: 1, succeeded: 0 });

    const pending = await antom().inquire({ paymentId: c.paymentId, paymentRequestId: null });
    expect(pending.captures).toEqual([
      expect.objectContaining({
        captureRequestId: c.captureRequestId,
        status: 'U',
        resultCode: 'CAPTURE_IN_PROCESS',
      }),
    ]);
    sandbox.resolve(c.captureRequestId);
    const done = await antom().inquire({ paymentId: c.paymentId, paymentRequestId: null });
    expect(done).toMatchObject({ paymentStatus: 'SUCCESS' });
    expect(done.captures).toEqual([
      {
        captureRequestId: c.captureRequestId,
        status: 'S',
        resultCode: 'SUCCESS',
        resultMessage: 'success',
        captureId: sandbox.capture(c.captureRequestId)!.captureId,
        amount: c.amount,
      },
    ]);
  });

  it('gets the final result when a repeated U has finished meanwhile (idempotent capture)', async () => {
    const c = call(newId('pay'));
    sandbox.script(c.paymentId, {
      status: 'U',
      then: { status: 'F', code: 'AUTH_CANCELLED' },
      resolveAfterMs: 0,
    });
    const result = await antom(undefined, 2000, { retries: 2, backoffMs: 50 }).capture(c);
    expect(result).toMatchObject({ status: 'F', resultCode: 'AUTH_CANCELLED' });
    expect(sandbox.counts(c.paymentId).byPaymentId[c.paymentId]).toMatchObject({ captures: 1, calls: 2 });
  });

  it('answers U after the timeout when the acquirer never answers; every repeat is the same capture', async () => {
    const c = call(newId('pay'));
    sandbox.script(c.paymentId, { respond: 'hang' });
    const result = await antom(undefined, 150, { retries: 1, backoffMs: 5 }).capture(c);
    expect(result).toMatchObject({ status: 'U', resultCode: 'TIMEOUT' });
    expect(sandbox.counts(c.paymentId).byPaymentId[c.paymentId]).toMatchObject({
      calls: 2,
      captures: 1,
      succeeded: 1,
    });
    const inquiry = await antom().inquire({ paymentId: c.paymentId, paymentRequestId: null });
    expect(inquiry.captures.map((r) => [r.captureRequestId, r.status])).toEqual([[c.captureRequestId, 'S']]);
  });

  it('repeats the same captureRequestId after a network error, and the acquirer captures once', async () => {
    const c = call(newId('pay'));
    sandbox.script(c.paymentId, { respond: ['drop', 'answer'] });
    const result = await antom().capture(c);
    expect(result).toMatchObject({ status: 'S', resultCode: 'SUCCESS' });
    const counts = sandbox.counts(c.paymentId);
    expect(counts.byCaptureRequestId[c.captureRequestId]).toMatchObject({ calls: 2, status: 'S' });
    expect(counts.byPaymentId[c.paymentId]).toMatchObject({
      captures: 1,
      succeeded: 1,
      capturedValue: '1000',
    });
  });

  it('processes a request lost on the way when it is sent again', async () => {
    const c = call(newId('pay'));
    sandbox.script(c.paymentId, { respond: ['lose', 'answer'] });
    const result = await antom(undefined, 150, { retries: 1, backoffMs: 5 }).capture(c);
    expect(result.status).toBe('S');
    expect(sandbox.counts(c.paymentId).byPaymentId[c.paymentId]).toMatchObject({ calls: 2, captures: 1 });
  });

  it('answers U (never throws) when the acquirer cannot be reached', async () => {
    const port = await closedPort();
    const result = await antom({ baseUrl: `http://127.0.0.1:${port}` }, 500, {
      retries: 1,
      backoffMs: 5,
    }).capture(call(newId('pay')));
    expect(result).toMatchObject({ status: 'U', resultCode: 'NOT_DELIVERED' });
  });

  it('returns the same capture when the same captureRequestId is sent twice', async () => {
    const c = call(newId('pay'));
    const first = await antom().capture(c);
    const second = await antom().capture(c);
    expect(second).toEqual(first);
    expect(sandbox.counts(c.paymentId).byPaymentId[c.paymentId]).toMatchObject({
      calls: 2,
      captures: 1,
      succeeded: 1,
    });
  });

  it('captures partially up to the authorization, then gets CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT', async () => {
    const paymentId = newId('pay');
    sandbox.payment({ paymentId, amount: { currency: 'JPY', value: '1000' } });
    expect((await antom().capture(call(paymentId, '600', 'JPY'))).status).toBe('S');
    expect(await antom().capture(call(paymentId, '600', 'JPY'))).toMatchObject({
      status: 'F',
      resultCode: 'CAPTURE_AMOUNT_EXCEED_AUTH_LIMIT',
    });
    expect((await antom().capture(call(paymentId, '400', 'JPY'))).status).toBe('S');
    expect(sandbox.counts(paymentId).byPaymentId[paymentId]).toMatchObject({
      succeeded: 2,
      capturedValue: '1000',
    });
  });

  it('cancels; the payment then shows CANCELLED and a capture is refused as ORDER_IS_CANCELED', async () => {
    const paymentId = newId('pay');
    const ref = { paymentId, paymentRequestId: null };
    expect(await antom().cancel(ref, 'ignored')).toMatchObject({ status: 'S', resultCode: 'SUCCESS' });
    expect(await antom().inquire(ref)).toEqual({ paymentStatus: 'CANCELLED', captures: [] });
    const result = await antom().capture(call(paymentId));
    expect(result).toMatchObject({ status: 'F', resultCode: 'ORDER_IS_CANCELED' });
    expect(classifyResultCode(result.resultCode)).toBe('authGone');
    expect(sandbox.counts(paymentId).byPaymentId[paymentId]).toMatchObject({
      cancels: 1,
      inquiries: 1,
      succeeded: 0,
    });
  });

  it('cannot cancel a payment that has a capture', async () => {
    const c = call(newId('pay'));
    await antom().capture(c);
    const ref = { paymentId: c.paymentId, paymentRequestId: null };
    expect(await antom().cancel(ref, 'ignored')).toMatchObject({
      status: 'F',
      resultCode: 'ORDER_STATUS_INVALID',
    });
    expect((await antom().inquire(ref)).paymentStatus).toBe('SUCCESS');
  });

  it('finds a payment by paymentRequestId, and throws when the inquiry fails', async () => {
    const paymentId = newId('pay');
    sandbox.payment({ paymentId, paymentRequestId: `${paymentId}-req` });
    await antom().capture(call(paymentId));
    const found = await antom().inquire({ paymentId: null, paymentRequestId: `${paymentId}-req` });
    expect(found.captures).toHaveLength(1);
    await expect(antom().inquire({ paymentId: null, paymentRequestId: 'nobody' })).rejects.toMatchObject({
      name: 'AcquirerCallError',
      resultCode: 'ORDER_NOT_EXIST',
    });
  });

  it('throws after repeating an inquiry that stays unknown', async () => {
    const paymentId = newId('pay');
    sandbox.payment({ paymentId, inquiry: 'unknown' });
    const error = await antom()
      .inquire({ paymentId, paymentRequestId: null })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AcquirerCallError);
    expect(error).toMatchObject({ resultCode: 'UNKNOWN_EXCEPTION' });
    expect(sandbox.counts(paymentId).byPaymentId[paymentId]!.inquiries).toBe(3);
  });
});
