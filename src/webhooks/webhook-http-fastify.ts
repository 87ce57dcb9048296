import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Acquirer } from '../capture/machine/capture-types';
import { failure } from './acknowledgements';
import { ackBytes, bodyTooLarge, wasAcknowledged } from './webhook-http';

/**
 * Fastify: a JSON content-type parser that keeps webhook bodies as bytes and parses every other
 * route as Fastify would (poisoning checks included), and an onSend hook that turns a framework
 * error on a webhook path into the acquirer's acknowledgement.
 */
export function installFastifyWebhookBodies(
  nest: INestApplication,
  bodyLimit: number,
  webhookAcquirer: (url: string) => Acquirer | undefined,
): void {
  const app = nest as NestFastifyApplication;
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit }, (req, body, done) => {
    if (webhookAcquirer(req.url)) {
      done(null, body);
      return;
    }
    // Fastify's default JSON parser answers through `done`; it returns no promise.
    void parseJson(req as never, body as never, done);
  });
  fastify.addHook('onSend', async (req, reply, payload) => {
    const acquirer = webhookAcquirer(req.url);
    if (!acquirer || reply.statusCode < 400 || wasAcknowledged(req.raw)) return payload;
    const status = reply.statusCode;
    const answer =
      status === 413
        ? bodyTooLarge(bodyLimit)
        : failure(
            status,
            status === 415
              ? 'content-type must be application/json'
              : 'the notification could not be processed',
          );
    reply.header('content-type', 'application/json; charset=utf-8');
    return ackBytes(acquirer, answer);
  });
}
