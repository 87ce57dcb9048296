/**
 * PayerMax capture notifications as inbox entries. PayerMax captures once, and its notification
 * may leave the amount out: the attempt's amount (or what is left to capture) stands in for it.
 */
import {
  payermaxCaptureEvent,
  payermaxDedupeKey,
  validatePayermaxCaptureNotification,
} from '../acquirers/payermax/payermax-notification';
import { isJsonObject } from '../acquirers/validation';
import type { PayermaxSettings } from '../capture/options/capture-options';
import { attemptOf, remainingAmount } from '../capture/machine/rule-kit';
import { idAt, reviewFlag, type Interpretation } from './inbound-notification';

/**
 * The body names the merchant it is for; a signed body for another merchant or app is refused
 * like a bad signature. Absent or non-string values are left to the field rules.
 */
export function payermaxIdentityMismatch(
  body: unknown,
  settings: Pick<PayermaxSettings, 'appId' | 'merchantNo'>,
): string | undefined {
  if (!isJsonObject(body)) return undefined;
  if (typeof body.appId === 'string' && body.appId !== settings.appId) return 'unknown appId';
  if (typeof body.merchantNo === 'string' && body.merchantNo !== settings.merchantNo)
    return 'unknown merchantNo';
  return undefined;
}

export function interpretPayermax(
  body: unknown,
  settings: Pick<PayermaxSettings, 'amountUnit'>,
): Interpretation {
  const validated = validatePayermaxCaptureNotification(body, { amountUnit: settings.amountUnit });
  if (!validated.ok) {
    return {
      ok: false,
      errors: validated.errors,
      notifyType: idAt(body, ['notifyType'], 32),
      paymentId: idAt(body, ['data', 'outTradeNo']),
      captureRequestId: idAt(body, ['data', 'requestId']),
    };
  }
  const n = validated.value;
  return {
    ok: true,
    notification: {
      acquirer: 'payermax',
      notifyType: n.notifyType,
      dedupeKey: payermaxDedupeKey(n),
      paymentId: n.data.outTradeNo,
      captureRequestId: n.data.requestId,
      plan: ({ order, at }) => {
        const ctx = order.snapshot.context;
        const attempt = attemptOf(ctx, n.data.requestId);
        const fallback = { currency: order.currency, value: attempt?.amount ?? remainingAmount(ctx) };
        const mapped = payermaxCaptureEvent(n, at, fallback);
        if (mapped.ok) return { events: [mapped.event] };
        return { events: [reviewFlag(`PayerMax ${n.data.status} not applied: ${mapped.reason}`, at)] };
      },
    },
  };
}
