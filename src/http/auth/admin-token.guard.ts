import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from '../../capture/capture-options';
import { ApiException } from '../errors/api-error';

/**
 * `Authorization: Bearer <ADMIN_TOKEN>` for /orders and /admin. Without a configured token
 * every request is refused. The comparison runs over fixed-length digests in constant time, so
 * neither the token's content nor its length leaks through timing.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(@Inject(CAPTURE_OPTIONS) options: CaptureModuleOptions) {
    this.expected = options.adminToken ? digest(options.adminToken) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const header = http.getRequest<FastifyRequest>().headers.authorization;
    const presented = typeof header === 'string' ? /^Bearer +(\S+) *$/i.exec(header)?.[1] : undefined;
    const ok =
      this.expected !== null && presented !== undefined && timingSafeEqual(digest(presented), this.expected);
    if (ok) return true;
    void http.getResponse<FastifyReply>().header('www-authenticate', 'Bearer');
    throw new ApiException(
      401,
      presented === undefined
        ? 'a bearer token is required (Authorization: Bearer <ADMIN_TOKEN>)'
        : 'invalid bearer token',
    );
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
