import { payermaxTimeToIso } from '../acquirers/payermax/payermax-notification';
import { isJsonObject } from '../acquirers/validation';

/**
 * When the acquirer says the notified event happened, for the notification-lag histogram:
 * Antom's captureTime / paymentTime (ISO 8601), PayerMax's data.succeededTime / failedTime or
 * notifyTime ("2023-07-23T00:00:01 +0000"). Undefined when the body names no usable time.
 */
export function acquirerEventTime(body: unknown): string | undefined {
  if (!isJsonObject(body)) return undefined;
  const data = isJsonObject(body.data) ? body.data : {};
  const candidates = [
    body.captureTime,
    body.paymentTime,
    data.succeededTime,
    data.failedTime,
    body.notifyTime,
  ];
  for (const value of candidates) {
    if (typeof value !== 'string' || value === '') continue;
    const iso = Number.isNaN(Date.parse(value)) ? payermaxTimeToIso(value) : value;
    if (iso) return iso;
  }
  return undefined;
}
