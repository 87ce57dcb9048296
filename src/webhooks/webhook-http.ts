/**
 * The HTTP edge of the webhooks: raw bytes kept for the signature, content types, and framework
 * errors (413, 415) answered in the acquirer's acknowledgement format instead of Nest's.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { targetPath } from '../acquirers/request-target';
import type { Acquirer } from '../capture/machine/capture.types';
import { antomAck, failure, payermaxAck, type AckBody, type WebhookAnswer } from './acknowledgements';

export const ANTOM_WEBHOOK_PATH = '/webhooks/antom';
export const PAYERMAX_WEBHOOK_PATH = '/webhooks/payermax/capture';

const ACK_FORMATS: Readonly<Record<Acquirer, (answer: WebhookAnswer) => AckBody>> = {
  antom: antomAck,
  payermax: payermaxAck,
};

/** Requests our controllers answered themselves; anything else on a webhook path is a framework error. */
const acknowledged = new WeakSet<object>();

/** By path alone: the target may come in absolute form (`POST http://host/webhooks/antom`). */
export function webhookAcquirer(url: string): Acquirer | undefined {
  const path = targetPath(url).replace(/\/+$/, '');
  if (path === ANTOM_WEBHOOK_PATH) return 'antom';
  if (path === PAYERMAX_WEBHOOK_PATH) return 'payermax';
  return undefined;
}

export function sendAck(req: FastifyRequest, reply: FastifyReply, acquirer: Acquirer, answer: WebhookAnswer) {
  acknowledged.add(req.raw);
  return reply
    .status(answer.status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify(ACK_FORMATS[acquirer](answer)));
}

/** `application/json`, with or without parameters (Antom sends `; charset=UTF-8`). */
export function isJsonContentType(header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false;
  return header.split(';')[0].trim().toLowerCase() === 'application/json';
}

/**
 * The exact bytes that arrived. With installWebhookHttp the body of a webhook route IS the raw
 * buffer; a host app that kept Nest's JSON parser with `rawBody: true` still works through
 * `rawBody` (but then malformed JSON is refused by the framework before any signature check).
 */
export function requestBytes(req: FastifyRequest): Buffer | undefined {
  if (Buffer.isBuffer(req.body)) return req.body;
  const raw = (req as FastifyRequest & { rawBody?: Buffer }).rawBody;
  return Buffer.isBuffer(raw) ? raw : undefined;
}

/**
 * Call before listen. JSON bodies of webhook routes are handed over unparsed (parsing comes
 * after the signature); other routes keep Fastify's own JSON parser, poisoning checks included.
 * Errors the framework raises before a webhook controller runs (body too large, a content type
 * nobody parses) are rewritten into the acquirer's failure acknowledgement, status kept.
 */
export function installWebhookHttp(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit }, (req, body, done) => {
    if (webhookAcquirer(req.url)) {
      done(null, body);
      return;
    }
    parseJson(req as never, body as never, done);
  });
  fastify.addHook('onSend', async (req, reply, payload) => {
    const acquirer = webhookAcquirer(req.url);
    if (!acquirer || reply.statusCode < 400 || acknowledged.has(req.raw)) return payload;
    const status = reply.statusCode;
    const message =
      status === 413
        ? `the body exceeds ${bodyLimit} bytes`
        : status === 415
          ? 'content-type must be application/json'
          : 'the notification could not be processed';
    reply.header('content-type', 'application/json; charset=utf-8');
    return JSON.stringify(ACK_FORMATS[acquirer](failure(status, message)));
  });
}
