/**
 * HTTP/1.1 request targets. A server must accept the absolute form
 * (`POST http://host:port/ams/api/v1/payments/capture`) as well as the usual origin form
 * (`POST /ams/api/...`), and some clients send it (Antom's Python SDK does). Signatures never
 * cover the scheme and authority: Antom signs the path with its query string, so anything that
 * verifies or signs over "the path" must first reduce the target to its origin form.
 */

const ABSOLUTE_FORM = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/** `http://h:1/a/b?x=1` -> `/a/b?x=1`; `http://h:1?x=1` -> `/?x=1`; origin form unchanged. */
export function originForm(target: string): string {
  const authority = ABSOLUTE_FORM.exec(target);
  if (!authority) return target;
  const rest = target.slice(authority[0].length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** The path alone, without the query string, of either form. */
export function targetPath(target: string): string {
  const origin = originForm(target);
  const q = origin.indexOf('?');
  return q < 0 ? origin : origin.slice(0, q);
}

/** The query string with its `?`, or '' when there is none. */
export function targetQuery(target: string): string {
  const origin = originForm(target);
  const q = origin.indexOf('?');
  return q < 0 ? '' : origin.slice(q);
}
