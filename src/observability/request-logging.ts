import type { FastifyInstance, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import type { Logger } from 'pino';
import { targetPath } from '../acquirers/request-target';
import { enterLogContext, type LogContext } from './log-context';

/** Printable, short: a caller's id is echoed into logs and headers, so nothing else is trusted. */
const CALLER_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Fastify's genReqId: the caller's x-request-id when it is sane, a fresh UUID otherwise. */
export function requestId(req: IncomingMessage | Http2ServerRequest): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && CALLER_ID.test(given) ? given : randomUUID();
}

/** Routes whose `:id` is an order id, so their lines carry it without the handler's help. */
const ORDER_ROUTES = /^\/(admin\/)?orders\/:id(\/|$)/;

const CONTEXT = Symbol('logContext');
type WithContext = FastifyRequest & { [CONTEXT]?: LogContext };

/**
 * Gives every request a log context (request id, and the order id once known), echoes the id
 * as x-request-id, and writes one line per request when it completes: method, path, status,
 * time. Never headers or bodies.
 */
export function installRequestLogging(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onRequest', (req: WithContext, reply, done) => {
    const context: LogContext = { reqId: req.id };
    req[CONTEXT] = context;
    void reply.header('x-request-id', req.id);
    enterLogContext(context, done);
  });

  // Body parsing resumes on the socket's own async context: enter ours again for the handler.
  fastify.addHook('preHandler', (req: WithContext, _reply, done) => {
    const context = req[CONTEXT] ?? { reqId: req.id };
    const route = req.routeOptions.url ?? '';
    const id = (req.params as Record<string, unknown> | undefined)?.id;
    if (typeof id === 'string' && ORDER_ROUTES.test(route)) context.orderId = id;
    enterLogContext(context, done);
  });

  fastify.addHook('onResponse', (req: WithContext, reply, done) => {
    const status = reply.statusCode;
    const fields = {
      ...req[CONTEXT],
      method: req.method,
      path: targetPath(req.url),
      route: req.routeOptions.url,
      status,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (status >= 500) logger.warn(fields, 'request failed');
    else logger.info(fields, 'request completed');
    done();
  });
}
