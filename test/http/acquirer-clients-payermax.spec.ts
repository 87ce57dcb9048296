/**
 * The PayerMax client against the sandbox acquirer over real HTTP on loopback: the signed
 * envelope verified by the sandbox, amounts converted with the currency's ISO 4217 exponent
 * (JPY 0, USD 2, KWD 3), one capture per authorization, cancel.
 */
import type { RetryPolicy } from '../../src/acquirers/call-policy';
import { PayermaxClient } from '../../src/acquirers/payermax/payermax-client';
import type { PayermaxSettings } from '../../src/capture/options/capture-options';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox';
import { generateTestKeyPair } from '../fixtures/seed-bodies';

const merchant = generateTestKeyPair();
const stranger = generateTestKeyPair();
const FAST_RETRY: RetryPolicy = { retries: 2, backoffMs: 5 };

let sandbox: Sandbox;
let payermaxSettings: PayermaxSettings;
let seq = 0;
const newId = (prefix: string) => `${prefix}-${++seq}`;

const payermax = (overrides: Partial<PayermaxSettings> = {}, timeoutMs = 2000, now?: () => Date) =>
  new PayermaxClient({
    settings: { ...payermaxSettings, ...overrides },
    timeoutMs,
    retry: FAST_RETRY,
    clock: now && { now },
  });

beforeAll(async () => {
  sandbox = await createSandbox({
    merchantKeys: merchant,
    payermax: { appId: 'app-1', merchantNo: 'M-1', amountUnit: 'major' },
  });
  payermaxSettings = {
    baseUrl: sandbox.url,
    appId: 'app-1',
    merchantNo: 'M-1',
    merchantPrivateKey: merchant.privateKey,
    publicKey: sandbox.keys.sandboxPublicKey,
    amountUnit: 'major',
  };
});

afterAll(() => sandbox.close());

describe('PayerMax client against the sandbox', () => {
  const call = (currency: string, value: string) => ({
    paymentId: newId('trade'),
    captureRequestId: newId('req'),
    amount: { currency, value },
    isLast: true,
  });

  it.each([
    ['JPY', '1500'],
    ['USD', '1234'],
    ['KWD', '1234'],
    ['USD', '5'],
  ])('captures %s %s minor units, converted to major units and back', async (currency, value) => {
    const c = call(currency, value);
    const result = await payermax().capture(c);
    expect(result).toMatchObject({ status: 'S', resultCode: 'SUCCESS', amount: { currency, value } });
    expect(result.captureId).toBe(sandbox.capture(c.captureRequestId)?.captureId);
    expect(sandbox.capture(c.captureRequestId)?.amount).toEqual({ currency, value });
  });

  it('sends minor units when PAYERMAX_AMOUNT_UNIT is minor (so a sandbox expecting major reads 100x)', async () => {
    const c = call('USD', '1234');
    await payermax({ amountUnit: 'minor' }).capture(c);
    expect(sandbox.capture(c.captureRequestId)?.amount).toEqual({ currency: 'USD', value: '123400' });
  });

  it('reports FAILED as F with its error code, PENDING as U', async () => {
    const failed = call('USD', '100');
    sandbox.script(failed.paymentId, { status: 'F', code: 'AUTH_EXPIRED' });
    expect(await payermax().capture(failed)).toMatchObject({ status: 'F', resultCode: 'AUTH_EXPIRED' });
    const pending = call('USD', '100');
    sandbox.script(pending.paymentId, { status: 'U', resolveAfterMs: 'manual' });
    expect((await payermax().capture(pending)).status).toBe('U');
    expect(sandbox.counts(pending.paymentId).byCaptureRequestId[pending.captureRequestId]!.calls).toBe(3);
  });

  it('allows one capture per authorization', async () => {
    const first = call('USD', '100');
    expect((await payermax().capture(first)).status).toBe('S');
    const second = { ...call('USD', '100'), paymentId: first.paymentId };
    expect(await payermax().capture(second)).toMatchObject({
      status: 'F',
      resultCode: 'MULTI_CAPTURE_NOT_SUPPORTED',
    });
  });

  it('is refused with SIGN_VERIFY_FAILED when signed with the wrong key', async () => {
    const c = call('USD', '100');
    const result = await payermax({ merchantPrivateKey: stranger.privateKey }).capture(c);
    expect(result).toMatchObject({ status: 'F', resultCode: 'SIGN_VERIFY_FAILED' });
    expect(sandbox.capture(c.captureRequestId)).toBeUndefined();
  });

  it('treats a response signed with another key as U', async () => {
    const result = await payermax({ publicKey: stranger.publicKey }).capture(call('USD', '100'));
    expect(result).toMatchObject({ status: 'U', resultCode: 'INVALID_RESPONSE_SIGNATURE' });
  });

  it('is refused when requestTime is more than two minutes off', async () => {
    const c = call('USD', '100');
    const result = await payermax({}, 2000, () => new Date(Date.now() - 5 * 60_000)).capture(c);
    expect(result).toMatchObject({ status: 'F', resultCode: 'PARAMS_INVALID' });
  });

  it('answers U after the timeout when PayerMax never answers', async () => {
    const c = call('USD', '100');
    sandbox.script(c.paymentId, { respond: 'hang' });
    expect(await payermax({}, 150).capture(c)).toMatchObject({ status: 'U', resultCode: 'TIMEOUT' });
  });

  it('cancels by outTradeNo; inquire has nothing to ask (null)', async () => {
    const paymentId = newId('trade');
    const ref = { paymentId, paymentRequestId: null };
    expect(await payermax().cancel(ref, newId('cancel'))).toMatchObject({ status: 'S' });
    expect(sandbox.counts(paymentId).byPaymentId[paymentId]!.cancels).toBe(1);
    expect(await payermax().inquire(ref)).toBeNull();
  });
});
