/**
 * The HTTP edge of the webhooks: raw bytes kept for the signature, content types, and framework
 * errors (413, 415) answered in the acquirer's acknowledgement format instead of Nest's. Works on
 * both of Nest's HTTP adapters: the controllers only use what Fastify's reply and Express's
 * response have in common.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { targetPath } from '../acquirers/request-target';
import type { Acquirer } from '../capture/machine/capture-types';
import { antomAck, failure, payermaxAck, type AckBody, type WebhookAnswer } from './acknowledgements';

export const ANTOM_WEBHOOK_PATH = '/webhooks/antom';
export const PAYERMAX_WEBHOOK_PATH = '/webhooks/payermax/capture';

/** The request as both adapters give it: Fastify's wraps Node's (`raw`), Express's is Node's. */
export interface WebhookRequest {
  url: string;
  originalUrl?: string;
  headers: IncomingHttpHeaders;
  body?: unknown;
  rawBody?: Buffer;
  raw?: IncomingMessage;
}

/** What Fastify's reply and Express's response both offer. */
export interface WebhookReply {
  status(code: number): WebhookReply;
  header(name: string, value: string): WebhookReply;
  send(body: string): unknown;
}

const ACK_FORMATS: Readonly<Record<Acquirer, (answer: WebhookAnswer) => AckBody>> = {
  antom: antomAck,
  payermax: payermaxAck,
};

/** Requests our controllers answered themselves; anything else on a webhook path is a framework error. */
const acknowledged = new WeakSet<object>();

export function wasAcknowledged(req: IncomingMessage): boolean {
  return acknowledged.has(req);
}

/**
 * Which acquirer's webhook a request is, under the module's route prefix ('' or 'payments'); by
 * path alone, since the target may come in absolute form (`POST http://host/webhooks/antom`).
 */
export function webhookAcquirer(url: string, routePrefix = ''): Acquirer | undefined {
  const base = routePrefix === '' ? '' : `/${routePrefix}`;
  const path = targetPath(url).replace(/\/+$/, '');
  if (path === base + ANTOM_WEBHOOK_PATH) return 'antom';
  if (path === base + PAYERMAX_WEBHOOK_PATH) return 'payermax';
  return undefined;
}

export function ackBytes(acquirer: Acquirer, answer: WebhookAnswer): string {
  return JSON.stringify(ACK_FORMATS[acquirer](answer));
}

export function sendAck(req: WebhookRequest, reply: WebhookReply, acquirer: Acquirer, answer: WebhookAnswer) {
  acknowledged.add(req.raw ?? req);
  return reply
    .status(answer.status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(ackBytes(acquirer, answer));
}

/** For the adapters' own hooks, which see Node's response. */
export function writeAck(res: ServerResponse, acquirer: Acquirer, answer: WebhookAnswer): void {
  res.statusCode = answer.status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(ackBytes(acquirer, answer));
}

/** `application/json`, with or without parameters (Antom sends `; charset=UTF-8`). */
export function isJsonContentType(header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false;
  return header.replace(/;.*/s, '').trim().toLowerCase() === 'application/json';
}

/**
 * The exact bytes that arrived. With installWebhookHttp the body of a webhook route IS the raw
 * buffer; a host app that kept Nest's JSON parser with `rawBody: true` still works through
 * `rawBody` (but then malformed JSON is refused by the framework before any signature check).
 */
export function requestBytes(req: WebhookRequest): Buffer | undefined {
  if (Buffer.isBuffer(req.body)) return req.body;
  return Buffer.isBuffer(req.rawBody) ? req.rawBody : undefined;
}

export function bodyTooLarge(bodyLimit: number): WebhookAnswer {
  return failure(413, `the body exceeds ${bodyLimit} bytes`);
}
