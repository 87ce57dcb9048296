/**
 * POSTs one domain event to SHIPPING_WEBHOOK_URL. Anything but a 2xx (or no answer within the
 * timeout) is a failure the dispatcher retries. Neither the URL (it may carry credentials) nor
 * the body goes into error messages.
 */
export interface ShippingDelivery {
  eventId: string;
  type: string;
  payload: Record<string, unknown>;
}

export class ShippingDeliveryError extends Error {}

export async function postDomainEvent(
  url: string,
  event: ShippingDelivery,
  timeoutMs: number,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'order-capture',
        'x-event-id': event.eventId,
        'x-event-type': event.type,
      },
      body: JSON.stringify(event.payload),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error;
    const why =
      e.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : ((e.cause as Error)?.message ?? e.message);
    throw new ShippingDeliveryError(`shipping webhook unreachable: ${why}`);
  }
  // Drain the body so the connection is reused; its content does not matter.
  await response.arrayBuffer().catch(() => undefined);
  if (response.status < 200 || response.status > 299) {
    throw new ShippingDeliveryError(`shipping webhook answered ${response.status}`);
  }
}
