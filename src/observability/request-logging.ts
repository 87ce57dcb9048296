import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import type { Logger } from 'pino';
import type { Options } from 'pino-http';
import { targetPath } from '../acquirers/request-target';

/** Printable, short: a caller's id is echoed into logs and headers, so nothing else is trusted. */
const CALLER_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's x-request-id when it is sane, a fresh UUID otherwise (Fastify's genReqId too). */
export function requestId(req: Pick<IncomingMessage, 'headers'>): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && CALLER_ID.test(given) ? given : randomUUID();
}

type Req = IncomingMessage & { id?: unknown; originalUrl?: string; route?: { path?: unknown } };

/**
 * The completion line: method, path (never the query or a caller's scheme and host), status,
 * time; never headers or bodies. Express knows the route template; Fastify keeps it on its own
 * request object, which pino-http (on the raw request) does not see.
 */
function completion(req: Req, res: ServerResponse, responseTime: number): Record<string, unknown> {
  const route = typeof req.route?.path === 'string' ? req.route.path : undefined;
  return {
    method: req.method,
    path: targetPath(req.originalUrl ?? req.url ?? ''),
    ...(route ? { route } : {}),
    status: res.statusCode,
    ms: responseTime,
  };
}

/**
 * nestjs-pino's LoggerModule options for the service: pino-http on the service's root logger,
 * every line of a request carrying `reqId` (and `orderId` once assigned), the id echoed as
 * x-request-id, one line per request when it completes (warn for a 5xx).
 */
export function requestLoggingParams(logger: Logger): Params {
  const pinoHttp: Options<Req, ServerResponse> = {
    logger,
    // On Fastify the raw request already has Fastify's id (the same requestId), so this runs on Express.
    genReqId: (req) => requestId(req),
    quietReqLogger: true,
    quietResLogger: true,
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'warn' : 'info'),
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (req, res, value: object) => completion(req, res, responseTimeOf(value)),
    customErrorObject: (req, res, _err, value: object) => completion(req, res, responseTimeOf(value)),
    // Called as the request starts, before any handler: the one hook both adapters share that
    // can still set a response header.
    customProps: (req, res) => {
      if (!res.headersSent && !res.hasHeader('x-request-id'))
        res.setHeader('x-request-id', `${req.id as string | number}`);
      return {};
    },
  };
  // Every route, spelled so that Fastify's middie matches it too (nestjs-pino's default does not).
  return { pinoHttp, assignResponse: true, forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }] };
}

function responseTimeOf(value: object): number {
  return (value as { responseTime?: number }).responseTime ?? 0;
}
