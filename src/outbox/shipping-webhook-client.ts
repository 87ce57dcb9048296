/**
 * POSTs one domain event to SHIPPING_WEBHOOK_URL. Anything but a 2xx (or no answer within the
 * timeout) is a failure the dispatcher retries. Neither the URL nor the body goes into error
 * messages: they are logged and stored (outbox_events.last_error).
 *
 * Credentials in the URL (`https://user:pass@host/...`) are sent as HTTP Basic authorization:
 * fetch refuses URLs that carry them, so they are taken out of the URL first.
 */
import type { DomainEvent } from '../capture/events/domain-event';

export interface ShippingDelivery {
  eventId: string;
  type: string;
  payload: DomainEvent;
}

class ShippingDeliveryError extends Error {}

export interface ShippingTarget {
  /** The URL without its userinfo. */
  url: string;
  /** `Basic <base64(user:password)>`, when the URL carried credentials. */
  authorization?: string;
  /** The credentials as they may appear in any text (encoded and decoded), to scrub them. */
  secrets: string[];
}

/**
 * Splits the configured URL into what is fetched and the Basic credentials. The userinfo is
 * percent-decoded, as URL userinfo requires (`p%40ss` is the password `p@ss`). Errors name the
 * variable and the rule, never the URL.
 */
export function shippingTarget(raw: string): ShippingTarget {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ShippingDeliveryError('SHIPPING_WEBHOOK_URL must be a valid http(s) URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ShippingDeliveryError('SHIPPING_WEBHOOK_URL must be an http(s) URL');
  }
  const { username, password } = parsed;
  if (!username && !password) return { url: parsed.toString(), secrets: [] };
  let user: string;
  let pass: string;
  try {
    user = decodeURIComponent(username);
    pass = decodeURIComponent(password);
  } catch {
    throw new ShippingDeliveryError('SHIPPING_WEBHOOK_URL credentials must be valid percent-encoding');
  }
  // Basic authorization separates the user from the password by the first colon (RFC 7617).
  if (user.includes(':')) {
    throw new ShippingDeliveryError('SHIPPING_WEBHOOK_URL user name must not contain ":" (%3A)');
  }
  parsed.username = '';
  parsed.password = '';
  const secrets = [username, password, user, pass].filter((s) => s !== '');
  return {
    url: parsed.toString(),
    authorization: `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`,
    secrets: [...new Set(secrets)].sort((a, b) => b.length - a.length),
  };
}

export async function postDomainEvent(
  url: string,
  event: ShippingDelivery,
  timeoutMs: number,
): Promise<void> {
  const target = shippingTarget(url);
  let response: Response;
  try {
    response = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'order-capture',
        'x-event-id': event.eventId,
        'x-event-type': event.type,
        ...(target.authorization ? { authorization: target.authorization } : {}),
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
    throw new ShippingDeliveryError(`shipping webhook unreachable: ${scrub(why, target)}`);
  }
  // Drain the body so the connection is reused; its content does not matter.
  await response.arrayBuffer().catch(() => undefined);
  if (response.status < 200 || response.status > 299) {
    throw new ShippingDeliveryError(`shipping webhook answered ${response.status}`);
  }
}

/** The URL is no longer in the request, but an error text may still quote it: never its secrets. */
function scrub(text: string, target: ShippingTarget): string {
  let out = text;
  for (const secret of target.secrets) out = out.split(secret).join('***');
  return out;
}
