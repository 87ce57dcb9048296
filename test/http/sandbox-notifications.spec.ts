/**
 * The sandbox's notifications, received by a tiny local HTTP receiver: signed as the real
 * acquirers sign them (verified with the project's own verifiers), valid by the seeds' field
 * rules, retried on the documented schedule (compressed) until acknowledged, and scriptable:
 * lost, duplicated, late, out of order.
 */
import { AntomClient } from '../../src/acquirers/antom/antom-client';
import { verifyAntomNotification } from '../../src/acquirers/antom/antom-signature';
import { validateAntomNotification } from '../../src/acquirers/antom/antom-notification';
import { PayermaxClient } from '../../src/acquirers/payermax/payermax-client';
import { verifyPayermaxBody } from '../../src/acquirers/payermax/payermax-signature';
import { validatePayermaxCaptureNotification } from '../../src/acquirers/payermax/payermax-notification';
import { createSandbox, type Sandbox } from '../../src/sandbox/sandbox';
import { sandboxAcquirerSettings } from '../../src/sandbox/wiring';
import { generateTestKeyPair } from '../fixtures/seed-bodies';
import { ANTOM_ACK, eventually, PAYERMAX_ACK, quiet, Receiver, type Received } from './sandbox.support';

const other = generateTestKeyPair();
const receiver = new Receiver();
let sandbox: Sandbox;
let antom: AntomClient;
let payermax: PayermaxClient;
let seq = 0;
const id = (p: string) => `${p}-${++seq}`;

beforeAll(async () => {
  await receiver.start();
  // 100000x: Antom's 24 h of retries take under a second, PayerMax's 13 h about half of one.
  sandbox = await createSandbox({ notifyBaseUrl: receiver.url, timeScale: 100_000, logger: quiet });
  const settings = sandboxAcquirerSettings(sandbox);
  antom = new AntomClient({ settings: settings.antom, timeoutMs: 2000 });
  payermax = new PayermaxClient({ settings: settings.payermax, timeoutMs: 2000 });
});

afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

const antomCapture = (paymentId = id('pay'), value = '1000', currency = 'USD') => {
  const call = { paymentId, captureRequestId: id('cap'), amount: { currency, value }, isLast: false };
  return antom.capture(call).then((result) => ({ call, result }));
};
const payermaxCapture = (currency = 'USD', value = '1234', paymentId = id('trade')) => {
  const call = { paymentId, captureRequestId: id('req'), amount: { currency, value }, isLast: true };
  return payermax.capture(call).then((result) => ({ call, result }));
};
const settled = () => eventually(() => expect(sandbox.pendingDeliveries()).toBe(0));

describe('sandbox notifications', () => {
  it('Antom: a signed CAPTURE_RESULT to the notify path, valid by seed 000, acknowledged once', async () => {
    const { call } = await antomCapture();
    await eventually(() => expect(receiver.for(call.captureRequestId)).toHaveLength(1));
    const [n] = receiver.for(call.captureRequestId);
    expect(n!.path).toBe('/webhooks/antom');
    expect(n!.headers['client-id']).toBe(sandbox.keys.antomClientId);
    expect(
      verifyAntomNotification(sandbox.keys.sandboxPublicKey, '/webhooks/antom', n!.headers, n!.raw),
    ).toBe(true);
    expect(verifyAntomNotification(other.publicKey, '/webhooks/antom', n!.headers, n!.raw)).toBe(false);
    expect(verifyAntomNotification(sandbox.keys.sandboxPublicKey, '/elsewhere', n!.headers, n!.raw)).toBe(
      false,
    );
    const valid = validateAntomNotification(n!.json);
    expect(valid).toMatchObject({
      ok: true,
      value: {
        kind: 'captureResult',
        notification: {
          result: { resultStatus: 'S', resultCode: 'SUCCESS' },
          captureRequestId: call.captureRequestId,
          paymentId: call.paymentId,
          captureAmount: call.amount,
          captureId: sandbox.capture(call.captureRequestId)?.captureId,
        },
      },
    });
    await settled();
    expect(sandbox.deliveries(call.captureRequestId)).toEqual([
      expect.objectContaining({ attempt: 1, acknowledged: true, httpStatus: 200 }),
    ]);
  });

  it.each([
    ['USD', '1234', '12.34'],
    ['JPY', '1500', '1500'],
    ['KWD', '1234', '1.234'],
  ])(
    'PayerMax: a signed CAPTURE notification, %s %s minor units sent as "%s"',
    async (currency, value, wire) => {
      const { call } = await payermaxCapture(currency, value);
      await eventually(() => expect(receiver.for(call.captureRequestId)).toHaveLength(1));
      const [n] = receiver.for(call.captureRequestId);
      expect(n!.path).toBe('/webhooks/payermax/capture');
      expect(verifyPayermaxBody(sandbox.keys.sandboxPublicKey, n!.raw, n!.headers.sign as string)).toBe(true);
      expect(verifyPayermaxBody(other.publicKey, n!.raw, n!.headers.sign as string)).toBe(false);
      expect((n!.json.data as Record<string, unknown>).amount).toBe(wire);
      expect(validatePayermaxCaptureNotification(n!.json, { amountUnit: 'major' })).toMatchObject({
        ok: true,
        value: {
          notifyType: 'CAPTURE',
          appId: sandbox.keys.payermaxAppId,
          data: {
            requestId: call.captureRequestId,
            outTradeNo: call.paymentId,
            status: 'SUCCESS',
            captureAmount: call.amount,
          },
        },
      });
    },
  );

  it('Antom: retried 8 times on the documented schedule when never acknowledged, then given up', async () => {
    const paymentId = id('pay');
    receiver.answer = (r, n) => (r.json.paymentId === paymentId ? { status: 500, body: 'down' } : ack(r, n));
    const { call } = await antomCapture(paymentId);
    await eventually(() => expect(sandbox.deliveries(call.captureRequestId)).toHaveLength(8), 10_000);
    await settled();
    const tries = receiver.for(call.captureRequestId);
    expect(tries).toHaveLength(8);
    expect(new Set(tries.map((t) => t.raw.toString('utf8'))).size).toBe(1);
    for (const t of tries) {
      expect(
        verifyAntomNotification(sandbox.keys.sandboxPublicKey, '/webhooks/antom', t.headers, t.raw),
      ).toBe(true);
    }
    expect(sandbox.deliveries(call.captureRequestId).map((d) => [d.attempt, d.acknowledged])).toEqual(
      [1, 2, 3, 4, 5, 6, 7, 8].map((n) => [n, false]),
    );
  });

  it('PayerMax: retried 6 times when never acknowledged', async () => {
    const paymentId = id('trade');
    receiver.answer = (r, n) =>
      requestOf(r).outTradeNo === paymentId ? { status: 503, body: '{}' } : ack(r, n);
    const { call } = await payermaxCapture('USD', '100', paymentId);
    await eventually(() => expect(sandbox.deliveries(call.captureRequestId)).toHaveLength(6), 10_000);
    await settled();
    expect(receiver.for(call.captureRequestId)).toHaveLength(6);
  });

  it('stops retrying at the first proper acknowledgement (a 200 with another body is not one)', async () => {
    const paymentId = id('pay');
    receiver.answer = (r, n) => {
      if (r.json.paymentId !== paymentId) return ack(r, n);
      if (n === 1) return { status: 503, body: 'busy' };
      if (n === 2)
        return { status: 200, body: JSON.stringify({ result: { resultStatus: 'F', resultCode: 'X' } }) };
      return ack(r, n);
    };
    const { call } = await antomCapture(paymentId);
    await eventually(() => expect(receiver.for(call.captureRequestId)).toHaveLength(3));
    await settled();
    expect(sandbox.deliveries(call.captureRequestId).map((d) => [d.httpStatus, d.acknowledged])).toEqual([
      [503, false],
      [200, false],
      [200, true],
    ]);
  });

  it('sends duplicates when scripted, each delivered independently', async () => {
    const paymentId = id('pay');
    sandbox.script(paymentId, { notify: { copies: 3 } });
    const { call } = await antomCapture(paymentId);
    await eventually(() => expect(receiver.for(call.captureRequestId)).toHaveLength(3));
    await settled();
    const bodies = receiver.for(call.captureRequestId).map((r) => r.raw.toString('utf8'));
    expect(new Set(bodies).size).toBe(1);
  });

  it('loses a notification when scripted; the capture is still there, and it can be sent later', async () => {
    const paymentId = id('pay');
    sandbox.script(paymentId, { notify: { lost: true } });
    const { call, result } = await antomCapture(paymentId);
    expect(result.status).toBe('S');
    await settled();
    expect(sandbox.deliveries(call.captureRequestId)).toEqual([]);
    expect(receiver.for(call.captureRequestId)).toEqual([]);
    expect(sandbox.notifyAgain(call.captureRequestId)).toBe(true);
    await eventually(() => expect(receiver.for(call.captureRequestId)).toHaveLength(1));
  });

  it('U then S: nothing is notified until the capture finishes, then the final result is', async () => {
    const paymentId = id('pay');
    sandbox.script(paymentId, { status: 'U', resolveAfterMs: 'manual' });
    const { call } = await antomCapture(paymentId);
    await settled();
    expect(receiver.for(call.captureRequestId)).toEqual([]);
    sandbox.resolve(call.captureRequestId);
    await eventually(() => expect(receiver.for(call.captureRequestId)).toHaveLength(1));
    expect(receiver.for(call.captureRequestId)[0]!.json.result).toMatchObject({ resultStatus: 'S' });
  });

  it('U then F later (on a timer): the F notification carries the scripted code', async () => {
    const paymentId = id('pay');
    sandbox.script(paymentId, {
      status: 'U',
      then: { status: 'F', code: 'AUTH_EXPIRED' },
      resolveAfterMs: 30,
    });
    const { call } = await antomCapture(paymentId);
    await eventually(() => expect(receiver.for(call.captureRequestId)).toHaveLength(1));
    expect(receiver.for(call.captureRequestId)[0]!.json.result).toMatchObject({
      resultStatus: 'F',
      resultCode: 'AUTH_EXPIRED',
    });
  });

  it('delivers out of order when scripted: a delayed notification arrives after a later one', async () => {
    const paymentId = id('pay');
    sandbox.script(paymentId, { status: 'F', code: 'USER_BALANCE_NOT_ENOUGH', notify: { delayMs: 300 } }, {});
    const first = await antomCapture(paymentId);
    const second = await antomCapture(paymentId);
    await eventually(() => expect(receiver.for(first.call.captureRequestId)).toHaveLength(1));
    const order = receiver.received
      .filter((r) => r.json.paymentId === paymentId)
      .map((r) => [r.json.captureRequestId, (r.json.result as Record<string, unknown>).resultStatus]);
    expect(order).toEqual([
      [second.call.captureRequestId, 'S'],
      [first.call.captureRequestId, 'F'],
    ]);
  });

  it('PayerMax: an out-of-date PENDING arrives after the SUCCESS when scripted', async () => {
    const paymentId = id('trade');
    sandbox.script(paymentId, { notify: { stalePending: true } });
    const { call } = await payermaxCapture('USD', '100', paymentId);
    await eventually(() => expect(receiver.for(call.captureRequestId)).toHaveLength(2));
    expect(receiver.for(call.captureRequestId).map((r) => requestOf(r).status)).toEqual([
      'SUCCESS',
      'PENDING',
    ]);
    for (const r of receiver.for(call.captureRequestId)) {
      expect(validatePayermaxCaptureNotification(r.json).ok).toBe(true);
    }
  });

  it('an AUTOMATIC capture by the acquirer itself is notified and shows in the inquiry', async () => {
    const paymentId = id('pay');
    const capture = sandbox.captureByAcquirer('antom', paymentId, { currency: 'EUR', value: '990' });
    await eventually(() => expect(receiver.for(capture.captureRequestId)).toHaveLength(1));
    const inquiry = await antom.inquire({ paymentId, paymentRequestId: null });
    expect(inquiry.captures).toEqual([
      expect.objectContaining({ status: 'S', amount: { currency: 'EUR', value: '990' } }),
    ]);
  });
});

describe('sandbox notification targets', () => {
  it('holds notifications until it knows where to send them, then uses several targets in turn', async () => {
    const a = new Receiver();
    const b = new Receiver();
    await a.start();
    await b.start();
    const box = await createSandbox({ timeScale: 100_000, logger: quiet });
    try {
      const client = new AntomClient({ settings: sandboxAcquirerSettings(box).antom, timeoutMs: 2000 });
      for (const n of [1, 2]) {
        await client.capture({
          paymentId: `p${n}`,
          captureRequestId: `c${n}`,
          amount: { currency: 'USD', value: '1' },
          isLast: false,
        });
      }
      expect(box.pendingDeliveries()).toBe(2);
      box.setNotifyBaseUrl([a.url, b.url]);
      await eventually(() => expect(a.received.length + b.received.length).toBe(2));
      expect([a.received.length, b.received.length]).toEqual([1, 1]);
    } finally {
      await box.close();
      await a.close();
      await b.close();
    }
  });
});

function requestOf(r: Received): Record<string, unknown> {
  return (r.json.data as Record<string, unknown>) ?? {};
}

function ack(r: Received, _n: number) {
  return { status: 200, body: r.path.includes('payermax') ? PAYERMAX_ACK : ANTOM_ACK };
}
