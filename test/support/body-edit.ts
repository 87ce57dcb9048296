/** Table-driven field-rule tests edit one field of a known-good body at a dotted path. */
export const DELETE = Symbol('delete');

export type Edit = [path: string, value: unknown];

export function edited(body: string | object, ...edits: Edit[]): Record<string, unknown> {
  const copy = JSON.parse(typeof body === 'string' ? body : JSON.stringify(body)) as Record<string, unknown>;
  for (const [path, value] of edits) {
    const keys = path.split('.');
    let target = copy;
    for (const key of keys.slice(0, -1)) {
      if (typeof target[key] !== 'object' || target[key] === null) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    const last = keys[keys.length - 1]!;
    if (value === DELETE) delete target[last];
    else target[last] = value;
  }
  return copy;
}

export const chars = (n: number): string => 'x'.repeat(n);

/** The value of a validation that must pass, or a failure that shows the errors. */
export function okValue<T>(result: { ok: true; value: T } | { ok: false; errors: unknown[] }): T {
  if (!result.ok) throw new Error(`expected valid, got ${JSON.stringify(result.errors)}`);
  return result.value;
}

/** The errors of a validation that must fail. */
export function errorList<E>(result: { ok: true } | { ok: false; errors: E[] }): E[] {
  if (result.ok) throw new Error('expected field errors');
  return result.errors;
}
