import type { INestApplication } from '@nestjs/common';
import { webhookAcquirer } from './webhook-http';
import { installExpressWebhookBodies } from './webhook-http-express';
import { installFastifyWebhookBodies } from './webhook-http-fastify';

export interface WebhookHttpOptions {
  /** The module's routePrefix, when the host mounted it under one. */
  routePrefix?: string;
}

/**
 * Call before listen (and before app.init()). Webhook bodies are handed over unparsed (parsing
 * comes after the signature) on Fastify and on Express; other routes keep the host's parsers.
 * Errors the framework raises before a webhook controller runs (body too large, a content type
 * nobody parses) are answered in the acquirer's failure acknowledgement, status kept.
 */
export function installWebhookHttp(
  app: INestApplication,
  bodyLimit: number,
  options: WebhookHttpOptions = {},
): void {
  const prefix = (options.routePrefix ?? '').replace(/^\/+|\/+$/g, '');
  const match = (url: string) => webhookAcquirer(url, prefix);
  const type = app.getHttpAdapter().getType();
  if (type === 'fastify') installFastifyWebhookBodies(app, bodyLimit, match);
  else if (type === 'express') installExpressWebhookBodies(app, bodyLimit, match);
  else
    throw new Error(
      `order-capture: installWebhookHttp supports the fastify and express adapters, not ${type}`,
    );
}
