import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '../../capture/persistence/database-errors';
import type { FieldError } from '../../capture/field-rules';
import { targetPath } from '../../acquirers/request-target';
import { errorBody, type ApiErrorBody } from './api-error';

export interface ApiExceptionFilterOptions {
  /** Paths (prefixes) whose errors another filter answers: the webhooks answer in the acquirer's format. */
  skipPathPrefixes?: string[];
  /** When set, only these paths (prefixes) are ours; a host app's other routes keep their own errors. */
  onlyPathPrefixes?: string[];
  /** Answers the paths that are not ours (Nest's BaseExceptionFilter when used globally). */
  fallback?: ExceptionFilter;
}

const under = (url: string, prefixes: string[] | undefined) =>
  prefixes?.some((p) => url === p || url.startsWith(`${p}/`) || url.startsWith(`${p}?`)) ?? false;

/**
 * Every error of the merchant and admin API as `{ statusCode, error, message, details? }`:
 * our own exceptions, Nest's (404, guards), and Fastify's before any controller runs (415 for a
 * content type nobody parses, 400 for broken JSON, 413 for a body over the limit). A database
 * that cannot answer in time is 503. A 5xx never shows what went wrong inside; the log gets it.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('HttpErrors');

  constructor(private readonly options: ApiExceptionFilterOptions = {}) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const url = targetPath(request?.url ?? '');
    const { skipPathPrefixes, onlyPathPrefixes } = this.options;
    const notOurs =
      under(url, skipPathPrefixes) || (onlyPathPrefixes !== undefined && !under(url, onlyPathPrefixes));
    if (notOurs && this.options.fallback) {
      this.options.fallback.catch(exception, host);
      return;
    }
    const body = this.toBody(exception, request);
    // Fastify's reply says `sent`, Express's response `headersSent`.
    const replied = reply as unknown as { sent?: boolean; headersSent?: boolean };
    if (replied.sent ?? replied.headersSent) return;
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toBody(exception: unknown, request: FastifyRequest | undefined): ApiErrorBody {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status >= 500) return this.internal(exception, request, status);
      return fromHttpException(status, exception.getResponse());
    }
    // A bounded database wait that ran out: the request was fine, the client should retry.
    if (isDatabaseUnavailable(exception)) return this.internal(exception, request, 503);
    const err = exception as { statusCode?: unknown; message?: unknown; code?: unknown };
    if (typeof err?.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return errorBody(err.statusCode, fastifyMessage(err.statusCode, err.code, err.message));
    }
    return this.internal(exception, request, 500);
  }

  private internal(exception: unknown, request: FastifyRequest | undefined, status: number): ApiErrorBody {
    const where = request ? `${request.method} ${targetPath(request.url)}` : 'request';
    const e = exception as Error;
    this.log.error(`${where} failed: ${e?.message ?? String(exception)}`, e?.stack);
    return errorBody(status, status === 503 ? 'service unavailable, try again' : 'internal server error');
  }
}

function fromHttpException(status: number, response: string | object): ApiErrorBody {
  if (typeof response === 'string') return errorBody(status, response);
  const r = response as { message?: unknown; details?: unknown };
  const message = Array.isArray(r.message)
    ? r.message.map(String).join('; ')
    : typeof r.message === 'string'
      ? r.message
      : (errorBody(status, '').error ?? 'error');
  const details = Array.isArray(r.details) ? (r.details as FieldError[]) : undefined;
  return errorBody(status, message, details);
}

/** Fastify's own messages, made to say what the client should do. */
function fastifyMessage(status: number, code: unknown, message: unknown): string {
  const text = typeof message === 'string' ? message : '';
  switch (code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported Content-Type: send application/json';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'the body is empty but Content-Type is application/json';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'the body is larger than the limit';
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'Content-Length does not match the body';
  }
  if (status === 400 && /JSON|token|position/i.test(text)) return `the body is not valid JSON: ${text}`;
  return text || (errorBody(status, '').error ?? 'error');
}
