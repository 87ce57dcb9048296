import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiException } from '../errors/api-error';

/**
 * A request that carries a body must carry JSON. Fastify would happily parse text/plain or a
 * form into something our DTOs then misread; refusing it here names the real mistake (415).
 */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.body === undefined || request.body === null) return true;
    const type = String(request.headers['content-type'] ?? '')
      .replace(/;.*/s, '')
      .trim()
      .toLowerCase();
    if (type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)) return true;
    throw new ApiException(415, `unsupported Content-Type ${type || '(none)'}: send application/json`);
  }
}
