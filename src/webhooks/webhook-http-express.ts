import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Acquirer } from '../capture/machine/capture-types';
import { bodyTooLarge, writeAck } from './webhook-http';

type Next = (err?: unknown) => void;

/**
 * Express: a middleware ahead of Nest's body parsers reads a webhook's body as bytes, whatever
 * its content type (the controller answers 415 itself), and marks it read so that the JSON
 * parser leaves it alone. A body over the limit is answered 413 in the acquirer's format.
 */
export function installExpressWebhookBodies(
  app: INestApplication,
  bodyLimit: number,
  webhookAcquirer: (url: string) => Acquirer | undefined,
): void {
  app.use((req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, next: Next) => {
    const acquirer = req.method === 'POST' ? webhookAcquirer(req.originalUrl ?? req.url ?? '') : undefined;
    if (!acquirer) {
      next();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > bodyLimit) {
        refused = true;
        writeAck(res, acquirer, bodyTooLarge(bodyLimit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const parsed = req as IncomingMessage & { body?: unknown; _body?: boolean };
      parsed.body = Buffer.concat(chunks);
      // body-parser's own flag: "already read", so Nest's JSON parser does not try again.
      parsed._body = true;
      next();
    });
    req.on('error', (err) => next(err));
  });
}
