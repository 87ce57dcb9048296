/**
 * Reads scripts sent to the control endpoints (POST /sandbox/payments, /sandbox/script) into
 * the typed shapes the programmatic API takes, naming every field that is wrong.
 */
import { FieldChecker, isJsonObject, RULES, type JsonObject } from '../acquirers/validation';
import type { FieldError } from '../capture/field-rules';
import { isCurrencyCode, isMinorUnits } from '../capture/money/money';
import type { FinalResult, NotifyPlan, Outcome, PaymentSetup, Respond } from './sandbox-types';

const RESPONDS: readonly Respond[] = ['answer', 'hang', 'drop', 'lose'];

export function readPaymentSetup(
  body: unknown,
): { ok: true; value: PaymentSetup } | { ok: false; errors: FieldError[] } {
  if (!isJsonObject(body)) return { ok: false, errors: [{ field: 'body', rule: RULES.body }] };
  const f = new FieldChecker();
  const setup: PaymentSetup = { paymentId: f.req('paymentId', body.paymentId, 64) };
  const requestId = f.opt('paymentRequestId', body.paymentRequestId, 64);
  if (requestId !== undefined) setup.paymentRequestId = requestId;
  if (body.amount !== undefined) {
    const a = isJsonObject(body.amount) ? body.amount : {};
    if (!isCurrencyCode(a.currency)) f.fail('amount.currency', RULES.currency);
    if (!isMinorUnits(a.value)) f.fail('amount.value', RULES.minorUnits);
    setup.amount = { currency: String(a.currency), value: String(a.value) };
  }
  for (const flag of ['multiCapture', 'fullCaptureOnly'] as const) {
    if (body[flag] === undefined) continue;
    if (typeof body[flag] === 'boolean') setup[flag] = body[flag];
    else f.fail(flag, 'must be true or false');
  }
  if (body.inquiry !== undefined)
    setup.inquiry = f.oneOf('inquiry', body.inquiry, ['answer', 'hang', 'unknown'] as const);
  if (body.outcomes !== undefined) setup.outcomes = readOutcomes(f, body.outcomes);
  return f.errors.length > 0 ? { ok: false, errors: f.errors } : { ok: true, value: setup };
}

function readOutcomes(f: FieldChecker, value: unknown): Outcome[] {
  if (!Array.isArray(value)) {
    f.fail('outcomes', 'must be an array');
    return [];
  }
  return value.map((item, i) => readOutcome(f, `outcomes[${i}]`, item));
}

function readOutcome(f: FieldChecker, at: string, value: unknown): Outcome {
  if (!isJsonObject(value)) {
    f.fail(at, RULES.object);
    return {};
  }
  const o: Outcome = {};
  if (value.status !== undefined) o.status = f.oneOf(`${at}.status`, value.status, ['S', 'F', 'U'] as const);
  copyText(f, value, o, at, ['code', 'message']);
  if (value.then !== undefined) o.then = readFinal(f, `${at}.then`, value.then);
  if (value.resolveAfterMs !== undefined) {
    const r = value.resolveAfterMs;
    if (r === 'manual' || (typeof r === 'number' && Number.isInteger(r) && r >= 0)) o.resolveAfterMs = r;
    else f.fail(`${at}.resolveAfterMs`, "must be a non-negative integer or 'manual'");
  }
  if (value.respond !== undefined) {
    const list = Array.isArray(value.respond) ? value.respond : [value.respond];
    const read = list.map((r, i) =>
      f.oneOf(`${at}.respond${Array.isArray(value.respond) ? `[${i}]` : ''}`, r, RESPONDS),
    );
    o.respond = Array.isArray(value.respond) ? read : read[0];
  }
  if (value.notify !== undefined) o.notify = readNotify(f, `${at}.notify`, value.notify);
  return o;
}

function readFinal(f: FieldChecker, at: string, value: unknown): FinalResult {
  if (!isJsonObject(value)) {
    f.fail(at, RULES.object);
    return { status: 'S' };
  }
  const final: FinalResult = { status: f.oneOf(`${at}.status`, value.status, ['S', 'F'] as const) };
  copyText(f, value, final, at, ['code', 'message']);
  return final;
}

function readNotify(f: FieldChecker, at: string, value: unknown): NotifyPlan {
  if (!isJsonObject(value)) {
    f.fail(at, RULES.object);
    return {};
  }
  const plan: NotifyPlan = {};
  for (const flag of ['lost', 'stalePending'] as const) {
    if (value[flag] === undefined) continue;
    if (typeof value[flag] === 'boolean') plan[flag] = value[flag];
    else f.fail(`${at}.${flag}`, 'must be true or false');
  }
  for (const [name, min] of [
    ['copies', 1],
    ['delayMs', 0],
  ] as const) {
    const n = value[name];
    if (n === undefined) continue;
    if (typeof n === 'number' && Number.isInteger(n) && n >= min) plan[name] = n;
    else f.fail(`${at}.${name}`, `must be an integer >= ${min}`);
  }
  return plan;
}

function copyText(
  f: FieldChecker,
  from: JsonObject,
  to: { code?: string; message?: string },
  at: string,
  names: Array<'code' | 'message'>,
) {
  for (const name of names) {
    const text = f.opt(`${at}.${name}`, from[name], name === 'code' ? 64 : 256);
    if (text !== undefined) to[name] = text;
  }
}
