/**
 * The sandbox server's HTTP odds and ends: raw request bytes (signatures cover them), and the
 * two ways an acquirer can misbehave on the wire, never answering and cutting the connection.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { JsonObject } from '../acquirers/validation';

/** JSON bodies arrive as Buffers: signatures are verified over the exact bytes. */
export function keepRawJson(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
}

export function rawBody(req: FastifyRequest): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

export function parseObject(bytes: Buffer): JsonObject | null {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JsonObject)
      : null;
  } catch {
    return null;
  }
}

/**
 * An acquirer's processing time before it answers a capture (captureLatencyMs): the capture
 * is recorded at once, only the answer waits, as with an acquirer that is merely slow.
 */
export async function answerLatency(ms: number | undefined): Promise<void> {
  if (ms && ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Requests the sandbox decided never to answer; cut when the sandbox closes. */
export class HeldRequests {
  private readonly held = new Set<FastifyRequest>();

  /** Never answers: the caller's timeout is the only way out. */
  hold(req: FastifyRequest, reply: FastifyReply): void {
    reply.hijack();
    this.held.add(req);
    req.raw.socket.once('close', () => this.held.delete(req));
  }

  /** Cuts the connection without a response: a network error on the caller's side. */
  drop(req: FastifyRequest, reply: FastifyReply): void {
    reply.hijack();
    req.raw.socket.destroy();
  }

  closeAll(): void {
    for (const req of this.held) req.raw.socket.destroy();
    this.held.clear();
  }
}
