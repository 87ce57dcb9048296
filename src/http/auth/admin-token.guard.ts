import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from '../../capture/options/capture-options';
import { bearerMatches, presentedBearer, tokenDigest, unauthorized } from './bearer-token';

/**
 * `Authorization: Bearer <ADMIN_TOKEN>` for /orders and /admin. Without a configured token
 * every request is refused. The comparison runs in constant time (bearer-token.ts).
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(@Inject(CAPTURE_OPTIONS) options: CaptureModuleOptions) {
    this.expected = options.adminToken ? tokenDigest(options.adminToken) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const presented = presentedBearer(http.getRequest<FastifyRequest>().headers.authorization);
    if (bearerMatches(presented, this.expected)) return true;
    throw unauthorized(http.getResponse<FastifyReply>(), presented, 'ADMIN_TOKEN');
  }
}
