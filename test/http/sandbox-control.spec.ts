/**
 * The sandbox driven over HTTP (its /sandbox/* control endpoints), and the sandbox as its own
 * process would start it: keys written to a file that configures a service in live mode.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AntomClient } from '../../src/acquirers/antom/antom-client';
import { PayermaxClient } from '../../src/acquirers/payermax/payermax-client';
import { loadConfig } from '../../src/config/app-config';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox';
import { startStandaloneSandbox } from '../../src/sandbox/standalone';
import { sandboxAcquirerSettings } from '../../src/sandbox/wiring';
import { quiet } from './sandbox.support';

let sandbox: Sandbox;
let antom: AntomClient;

const post = (path: string, body: unknown) =>
  fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const get = async (path: string) => (await fetch(`${sandbox.url}${path}`)).json();
const capture = (paymentId: string, captureRequestId: string, value = '500') =>
  antom.capture({ paymentId, captureRequestId, amount: { currency: 'SGD', value }, isLast: false });

beforeAll(async () => {
  sandbox = await createSandbox({ logger: quiet });
  antom = new AntomClient({
    settings: sandboxAcquirerSettings(sandbox).antom,
    timeoutMs: 2000,
    retry: { retries: 0, backoffMs: 0 },
  });
});
afterAll(() => sandbox.close());

describe('sandbox control endpoints', () => {
  it('POST /sandbox/script scripts the next captures of a payment; GET /sandbox/counts shows the calls', async () => {
    const res = await post('/sandbox/script', {
      paymentId: 'ctl-1',
      outcomes: [
        { status: 'F', code: 'RISK_REJECT' },
        { status: 'U', resolveAfterMs: 'manual' },
      ],
    });
    expect(res.status).toBe(200);
    expect(await capture('ctl-1', 'ctl-1-a')).toMatchObject({ status: 'F', resultCode: 'RISK_REJECT' });
    expect(await capture('ctl-1', 'ctl-1-b')).toMatchObject({ status: 'U' });
    expect(await capture('ctl-1', 'ctl-1-c')).toMatchObject({ status: 'S' });
    expect(await get('/sandbox/counts?paymentId=ctl-1')).toEqual({
      captureCalls: expect.any(Number),
      refused: expect.any(Number),
      byPaymentId: {
        'ctl-1': {
          acquirer: 'antom',
          calls: 3,
          captures: 3,
          succeeded: 1,
          capturedValue: '500',
          currency: 'SGD',
          inquiries: 0,
          cancels: 0,
        },
      },
      byCaptureRequestId: {
        'ctl-1-a': { acquirer: 'antom', paymentId: 'ctl-1', calls: 1, status: 'F' },
        'ctl-1-b': { acquirer: 'antom', paymentId: 'ctl-1', calls: 1, status: 'U' },
        'ctl-1-c': { acquirer: 'antom', paymentId: 'ctl-1', calls: 1, status: 'S' },
      },
    });
  });

  it('POST /sandbox/resolve finishes a U capture, GET /sandbox/captures/:id shows it', async () => {
    await post('/sandbox/script', {
      paymentId: 'ctl-2',
      outcomes: [{ status: 'U', resolveAfterMs: 'manual' }],
    });
    await capture('ctl-2', 'ctl-2-a');
    const res = await post('/sandbox/resolve', {
      captureRequestId: 'ctl-2-a',
      then: { status: 'F', code: 'AUTH_EXPIRED' },
    });
    expect(await res.json()).toMatchObject({ status: 'F', resultCode: 'AUTH_EXPIRED' });
    expect(await get('/sandbox/captures/ctl-2-a')).toMatchObject({
      captureRequestId: 'ctl-2-a',
      status: 'F',
    });
    expect((await fetch(`${sandbox.url}/sandbox/captures/nope`)).status).toBe(404);
  });

  it('POST /sandbox/payments sets the authorization rules', async () => {
    await post('/sandbox/payments', {
      paymentId: 'ctl-3',
      amount: { currency: 'SGD', value: '500' },
      fullCaptureOnly: true,
    });
    expect(await capture('ctl-3', 'ctl-3-a', '200')).toMatchObject({
      status: 'F',
      resultCode: 'PARAM_ILLEGAL',
    });
    expect(await capture('ctl-3', 'ctl-3-b', '500')).toMatchObject({ status: 'S' });
  });

  it('refuses an invalid script with 400 naming every field', async () => {
    const res = await post('/sandbox/script', {
      paymentId: 'ctl-4',
      outcomes: [{ status: 'X', respond: ['answer', 'nap'], resolveAfterMs: -1, notify: { copies: 0 } }],
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { details: Array<{ field: string }> };
    expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(body.details.map((d) => d.field)).toEqual([
      'outcomes[0].status',
      'outcomes[0].resolveAfterMs',
      'outcomes[0].respond[1]',
      'outcomes[0].notify.copies',
    ]);
    expect((await post('/sandbox/script', { outcomes: [] })).status).toBe(400);
  });

  it('POST /sandbox/acquirer-capture makes an AUTOMATIC capture; POST /sandbox/notify resends; /sandbox/config', async () => {
    const res = await post('/sandbox/acquirer-capture', {
      acquirer: 'payermax',
      paymentId: 'ctl-5',
      amount: { currency: 'USD', value: '100' },
    });
    const made = (await res.json()) as { captureRequestId: string };
    expect(made).toMatchObject({ acquirer: 'payermax', status: 'S', byAcquirer: true });
    expect((await post('/sandbox/notify', { captureRequestId: made.captureRequestId })).status).toBe(200);
    expect((await post('/sandbox/notify', { captureRequestId: 'none' })).status).toBe(409);
    expect((await post('/sandbox/acquirer-capture', { acquirer: 'x' })).status).toBe(400);
    expect((await post('/sandbox/config', { notifyBaseUrl: 'ftp://x' })).status).toBe(400);
    expect((await post('/sandbox/config', { notifyBaseUrl: ['http://127.0.0.1:1'] })).status).toBe(200);
    const deliveries = await get(`/sandbox/deliveries?captureRequestId=${made.captureRequestId}`);
    expect(deliveries).toMatchObject({ pending: expect.any(Number), deliveries: expect.any(Array) });
  });
});

describe('standalone sandbox', () => {
  it('writes the service settings to a private keys file that configures a live-mode service', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-keys-'));
    const keysFile = join(dir, 'keys.json');
    const started = await startStandaloneSandbox({ SANDBOX_PORT: '0', SANDBOX_KEYS_FILE: keysFile });
    try {
      expect(statSync(keysFile).mode & 0o777).toBe(0o600);
      const written = JSON.parse(readFileSync(keysFile, 'utf8'));
      expect(written.url).toBe(started.sandbox.url);
      const config = loadConfig({ ...written.env, ADMIN_TOKEN: 'a-long-enough-admin-token' });
      expect(config.acquirerMode).toBe('live');
      const { antom: antomSettings, payermax: payermaxSettings } = config.capture;
      expect(antomSettings?.baseUrl).toBe(started.sandbox.url);
      const a = new AntomClient({ settings: antomSettings!, timeoutMs: 2000 });
      const p = new PayermaxClient({ settings: payermaxSettings!, timeoutMs: 2000 });
      const amount = { currency: 'EUR', value: '250' };
      expect(
        await a.capture({ paymentId: 's-1', captureRequestId: 's-1-a', amount, isLast: false }),
      ).toMatchObject({
        status: 'S',
      });
      expect(
        await p.capture({ paymentId: 's-2', captureRequestId: 's-2-a', amount, isLast: true }),
      ).toMatchObject({
        status: 'S',
        amount,
      });
    } finally {
      await started.sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad settings by name', async () => {
    await expect(startStandaloneSandbox({ SANDBOX_TIME_SCALE: '0' })).rejects.toThrow('SANDBOX_TIME_SCALE');
    await expect(startStandaloneSandbox({ SANDBOX_AMOUNT_UNIT: 'cents' })).rejects.toThrow(
      'SANDBOX_AMOUNT_UNIT',
    );
  });
});
