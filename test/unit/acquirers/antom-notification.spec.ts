import {
  antomCaptureDedupeKey,
  antomCaptureEvent,
  antomDedupeKey,
  validateAntomNotification,
  type AntomCaptureResult,
  type AntomNotification,
} from '../../../src/acquirers/antom/antom-notification';
import { verifyAntomNotification } from '../../../src/acquirers/antom/antom-signature';
import {
  ANTOM_APO_CAPTURE_JPY,
  ANTOM_CAPTURE_FAILED,
  ANTOM_CAPTURE_SUCCESSFUL,
  generateTestKeyPair,
  signAntomNotification,
  TEST_ANTOM_NOTIFY_PATH,
} from '../../fixtures/seed-bodies';
import { DELETE, edited, okValue } from '../../support/body-edit';

const AT = '2025-03-17T02:27:20.000Z';
const valid = (body: unknown): AntomNotification => okValue(validateAntomNotification(body));

function capture(body: unknown): AntomCaptureResult {
  const n = valid(body);
  if (n.kind !== 'captureResult') throw new Error(`expected a capture result, got ${n.kind}`);
  return n.notification;
}

describe('Antom seed bodies', () => {
  it('CAPTURE_SUCCESSFUL (seed 000) validates into the typed notification', () => {
    expect(capture(JSON.parse(ANTOM_CAPTURE_SUCCESSFUL))).toEqual({
      notifyType: 'CAPTURE_RESULT',
      result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success.' },
      captureRequestId: 'Merchant_Request_ID_XXXXXX',
      paymentId: '2022XXXXXXX',
      captureId: '2022XXXXXXX',
      captureAmount: { currency: 'BRL', value: '50000' },
      captureTime: '2022-11-10T00:34:52-08:00',
    });
  });

  it('CAPTURE_FAILED (seed 000) validates', () => {
    expect(capture(JSON.parse(ANTOM_CAPTURE_FAILED)).result).toEqual({
      resultCode: 'PROCESS_FAIL',
      resultMessage: 'General bussinsee failure. No retry.',
      resultStatus: 'F',
    });
  });

  it('the APO sample routed to CHECKOUT (seed 001) validates with acquirerInfo and acquirerReferenceNo', () => {
    const n = capture(JSON.parse(ANTOM_APO_CAPTURE_JPY));
    expect(n.captureAmount).toEqual({ currency: 'JPY', value: '120' });
    expect(n.acquirerReferenceNo).toBe('pay_6tmvamfcxp5ujbbfjeopyz6v7q');
    expect(n.acquirerInfo).toEqual({
      referenceRequestId: '2025031719031301000600278847294',
      acquirerTransactionId: 'act_yv3fchmu3bre3l3tui5y352yby',
      acquirerMerchantId: 'pc_6cpbmm5qderubjraxrygjehf5q',
      acquirerName: 'CHECKOUT',
    });
  });

  it('verify once signed with the fixture helper', () => {
    const keys = generateTestKeyPair();
    for (const body of [ANTOM_CAPTURE_SUCCESSFUL, ANTOM_CAPTURE_FAILED, ANTOM_APO_CAPTURE_JPY]) {
      const headers = signAntomNotification(body, keys.privateKey);
      expect(verifyAntomNotification(keys.publicKey, TEST_ANTOM_NOTIFY_PATH, headers, body)).toBe(true);
    }
  });
});

describe('Antom capture results as machine events', () => {
  it('S becomes CAPTURE_SUCCEEDED with the amount in minor units', () => {
    expect(antomCaptureEvent(capture(JSON.parse(ANTOM_APO_CAPTURE_JPY)), AT)).toEqual({
      type: 'CAPTURE_SUCCEEDED',
      captureRequestId: 'G153202503171022523041',
      captureId: '20250317194010890100111600255676857',
      amount: { currency: 'JPY', value: '120' },
      resultCode: 'SUCCESS',
      at: AT,
    });
  });

  it('F becomes CAPTURE_FAILED with the result code and message', () => {
    expect(antomCaptureEvent(capture(JSON.parse(ANTOM_CAPTURE_FAILED)), AT)).toEqual({
      type: 'CAPTURE_FAILED',
      captureRequestId: 'Merchant_Request_ID_XXXXXX',
      resultCode: 'PROCESS_FAIL',
      resultMessage: 'General bussinsee failure. No retry.',
      at: AT,
    });
    const bare = capture(edited(ANTOM_CAPTURE_FAILED, ['result.resultMessage', DELETE]));
    expect(antomCaptureEvent(bare, AT)).not.toHaveProperty('resultMessage');
  });
});

describe('Antom dedupe keys', () => {
  const success = capture(JSON.parse(ANTOM_CAPTURE_SUCCESSFUL));

  it('is antom:<captureRequestId>:<captureId>:<resultStatus>', () => {
    expect(antomCaptureDedupeKey(success)).toBe('antom:Merchant_Request_ID_XXXXXX:2022XXXXXXX:S');
  });

  it('collides for a retry of the same result and differs for a different result', () => {
    const retry = capture(edited(ANTOM_CAPTURE_SUCCESSFUL, ['captureTime', '2022-11-10T00:44:52-08:00']));
    const failure = capture(JSON.parse(ANTOM_CAPTURE_FAILED));
    expect(antomCaptureDedupeKey(retry)).toBe(antomCaptureDedupeKey(success));
    expect(antomCaptureDedupeKey(failure)).not.toBe(antomCaptureDedupeKey(success));
  });

  it('cannot be forged by ids that contain the separator', () => {
    const a = capture(edited(ANTOM_CAPTURE_SUCCESSFUL, ['captureRequestId', 'a:b'], ['captureId', 'c']));
    const b = capture(edited(ANTOM_CAPTURE_SUCCESSFUL, ['captureRequestId', 'a'], ['captureId', 'b:c']));
    expect(antomCaptureDedupeKey(a)).toBe('antom:a%3Ab:c:S');
    expect(antomCaptureDedupeKey(a)).not.toBe(antomCaptureDedupeKey(b));
  });

  it('covers every notify type', () => {
    const raw = '{"notifyType":"REFUND_RESULT","refundId":"1"}';
    const other = valid(JSON.parse(raw));
    expect(antomDedupeKey(valid(JSON.parse(ANTOM_CAPTURE_SUCCESSFUL)), ANTOM_CAPTURE_SUCCESSFUL)).toBe(
      antomCaptureDedupeKey(success),
    );
    expect(antomDedupeKey(other, raw)).toMatch(/^antom:other:REFUND_RESULT:[0-9a-f]{64}$/);
    expect(antomDedupeKey(other, raw)).toBe(antomDedupeKey(other, Buffer.from(raw)));
    expect(antomDedupeKey(other, raw)).not.toBe(antomDedupeKey(other, raw.replace('"1"', '"2"')));
    const payment = valid({
      notifyType: 'PAYMENT_RESULT',
      result: { resultCode: 'SUCCESS', resultStatus: 'S' },
      paymentRequestId: 'PAY_1',
      paymentId: '2025X',
      paymentAmount: { currency: 'SGD', value: '1' },
    });
    expect(antomDedupeKey(payment, '')).toBe('antom:payment:PAY_1:2025X:S');
  });
});
