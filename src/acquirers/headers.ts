/**
 * Reading inbound request headers, the same way for every acquirer's notifications and for the
 * sandbox's simulated acquirers.
 */

/** Request headers as Node and Fastify give them: names lower-cased, repeats as arrays. */
export type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

/** A header by name, case-insensitively; a repeated header is ambiguous and reads as absent. */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}
