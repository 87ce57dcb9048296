/**
 * The sandbox's control endpoints: the programmatic API over HTTP, for tests and demos that run
 * the sandbox as its own process. Loopback tooling, not an acquirer API: no authentication.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isJsonObject, RULES } from '../acquirers/validation';
import type { FieldError } from '../capture/field-rules';
import { ACQUIRERS, type Acquirer } from '../capture/machine/capture-types';
import { isCurrencyCode, isMinorUnits } from '../capture/money/money';
import { parseObject, rawBody } from './http-kit';
import type { Sandbox } from './sandbox-api';
import { readPaymentSetup } from './script-input';

function badRequest(reply: FastifyReply, errors: FieldError[]) {
  return reply
    .code(400)
    .send({ statusCode: 400, error: 'Bad Request', message: 'invalid sandbox script', details: errors });
}

export function registerControlRoutes(app: FastifyInstance, sandbox: Sandbox): void {
  app.get<{ Querystring: { paymentId?: string } }>('/sandbox/counts', (req) =>
    sandbox.counts(req.query.paymentId),
  );

  app.get<{ Querystring: { captureRequestId?: string } }>('/sandbox/deliveries', (req) => ({
    pending: sandbox.pendingDeliveries(),
    deliveries: sandbox.deliveries(req.query.captureRequestId),
  }));

  app.get<{ Params: { id: string } }>('/sandbox/captures/:id', async (req, reply) => {
    const capture = sandbox.capture(req.params.id);
    return (
      capture ?? reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'no such capture' })
    );
  });

  // Both accept a PaymentSetup; /script is the short form a test reaches for first.
  for (const path of ['/sandbox/payments', '/sandbox/script']) {
    app.post(path, async (req, reply) => {
      const setup = readPaymentSetup(parseObject(rawBody(req)));
      if (!setup.ok) return badRequest(reply, setup.errors);
      sandbox.payment(setup.value);
      return { ok: true, paymentId: setup.value.paymentId };
    });
  }

  app.post('/sandbox/resolve', async (req, reply) => {
    const body = parseObject(rawBody(req));
    const id = body?.captureRequestId;
    if (typeof id !== 'string')
      return badRequest(reply, [{ field: 'captureRequestId', rule: RULES.required }]);
    const then = isJsonObject(body?.then) ? body.then : undefined;
    if (then && then.status !== 'S' && then.status !== 'F') {
      return badRequest(reply, [{ field: 'then.status', rule: RULES.oneOf(['S', 'F']) }]);
    }
    const final = then
      ? {
          status: then.status as 'S' | 'F',
          ...(typeof then.code === 'string' ? { code: then.code } : {}),
          ...(typeof then.message === 'string' ? { message: then.message } : {}),
        }
      : undefined;
    const capture = sandbox.resolve(id, final);
    return (
      capture ?? reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'no such capture' })
    );
  });

  app.post('/sandbox/notify', async (req, reply) => {
    const id = parseObject(rawBody(req))?.captureRequestId;
    if (typeof id !== 'string')
      return badRequest(reply, [{ field: 'captureRequestId', rule: RULES.required }]);
    if (!sandbox.notifyAgain(id)) {
      return reply
        .code(409)
        .send({ statusCode: 409, error: 'Conflict', message: 'no final capture with this id' });
    }
    return { ok: true };
  });

  app.post('/sandbox/acquirer-capture', async (req, reply) => {
    const body = parseObject(rawBody(req)) ?? {};
    const errors: FieldError[] = [];
    if (!ACQUIRERS.includes(body.acquirer as Acquirer))
      errors.push({ field: 'acquirer', rule: RULES.oneOf(ACQUIRERS) });
    if (typeof body.paymentId !== 'string' || body.paymentId === '')
      errors.push({ field: 'paymentId', rule: RULES.required });
    const amount = isJsonObject(body.amount) ? body.amount : {};
    if (!isCurrencyCode(amount.currency)) errors.push({ field: 'amount.currency', rule: RULES.currency });
    if (!isMinorUnits(amount.value)) errors.push({ field: 'amount.value', rule: RULES.minorUnits });
    if (errors.length > 0) return badRequest(reply, errors);
    const money = { currency: String(amount.currency), value: String(amount.value) };
    return sandbox.captureByAcquirer(body.acquirer as Acquirer, String(body.paymentId), money);
  });

  app.post('/sandbox/config', async (req, reply) => {
    const target = parseObject(rawBody(req))?.notifyBaseUrl;
    const urls = Array.isArray(target) ? target : [target];
    if (urls.length === 0 || !urls.every((u) => typeof u === 'string' && /^https?:\/\/[^/]/.test(u))) {
      return badRequest(reply, [
        { field: 'notifyBaseUrl', rule: 'must be an http(s) URL or a list of them' },
      ]);
    }
    sandbox.setNotifyBaseUrl(urls as string[]);
    return { ok: true, notifyBaseUrl: urls };
  });
}
