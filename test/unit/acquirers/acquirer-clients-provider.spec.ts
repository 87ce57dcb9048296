/**
 * ACQUIRER_CLIENTS as the capture module builds it: a real client per configured acquirer, and
 * for the others a client that refuses plainly (never a pretend success).
 */
import {
  ACQUIRER_NOT_CONFIGURED,
  buildAcquirerClients,
  UnconfiguredAcquirerClient,
} from '../../../src/module/acquirer-clients.provider';
import { AntomClient } from '../../../src/acquirers/antom/antom-client';
import { AcquirerCallError } from '../../../src/acquirers/call-policy';
import { PayermaxClient } from '../../../src/acquirers/payermax/payermax-client';
import { DEFAULT_CAPTURE_OPTIONS } from '../../../src/capture/options/capture-options';
import { classifyResultCode } from '../../../src/capture/machine/result-codes';
import { generateTestKeyPair } from '../../fixtures/seed-bodies';

const keys = generateTestKeyPair();
const ref = { paymentId: 'P', paymentRequestId: null };

describe('acquirer clients provider', () => {
  it('builds a client per configured acquirer', () => {
    const clients = buildAcquirerClients({
      ...DEFAULT_CAPTURE_OPTIONS,
      antom: {
        baseUrl: 'https://open-sea-global.alipay.com',
        clientId: 'C',
        merchantPrivateKey: keys.privateKey,
        publicKey: keys.publicKey,
        notifyPath: '/webhooks/antom',
      },
      payermax: {
        baseUrl: 'https://pay-gate-uat.payermax.com',
        appId: 'A',
        merchantNo: 'M',
        merchantPrivateKey: keys.privateKey,
        publicKey: keys.publicKey,
        amountUnit: 'major',
      },
    });
    expect(clients.antom).toBeInstanceOf(AntomClient);
    expect(clients.payermax).toBeInstanceOf(PayermaxClient);
  });

  it.each(['antom', 'payermax'] as const)(
    'an unconfigured %s refuses every call with ACQUIRER_NOT_CONFIGURED',
    async (name) => {
      const client = buildAcquirerClients(DEFAULT_CAPTURE_OPTIONS)[name];
      expect(client).toBeInstanceOf(UnconfiguredAcquirerClient);
      expect(client.acquirer).toBe(name);
      const call = {
        paymentId: 'P',
        captureRequestId: 'C',
        amount: { currency: 'USD', value: '1' },
        isLast: true,
      };
      const captured = await client.capture(call);
      expect(captured).toMatchObject({ status: 'F', resultCode: ACQUIRER_NOT_CONFIGURED });
      expect(captured.resultMessage).toContain(name === 'antom' ? 'ANTOM_BASE_URL' : 'PAYERMAX_BASE_URL');
      expect(classifyResultCode(captured.resultCode)).toBe('needsHuman');
      expect(await client.cancel(ref, 'R')).toMatchObject({
        status: 'F',
        resultCode: ACQUIRER_NOT_CONFIGURED,
      });
      const inquiry = client.inquire(ref);
      await expect(inquiry).rejects.toBeInstanceOf(AcquirerCallError);
      await expect(inquiry).rejects.toMatchObject({ resultCode: ACQUIRER_NOT_CONFIGURED });
    },
  );
});
