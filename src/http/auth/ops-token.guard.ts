import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CAPTURE_OPTIONS, type CaptureModuleOptions } from '../../capture/options/capture-options';
import { bearerMatches, presentedBearer, tokenDigest, unauthorized } from './bearer-token';

/** What the 401 asks for: the ops token, which is the admin token unless OPS_TOKEN is set. */
export const OPS_TOKEN_NAME = 'OPS_TOKEN, or ADMIN_TOKEN when it is unset';

/**
 * The ops token's digest: OPS_TOKEN when set, else ADMIN_TOKEN; null (nothing matches) when the
 * capture module is absent or has neither. Business counts, the API description and the
 * reasons a check failed are for operators and Prometheus, not for whoever reaches the port.
 */
export function opsTokenDigest(options: CaptureModuleOptions | undefined): Buffer | null {
  const token = options?.opsToken || options?.adminToken;
  return token ? tokenDigest(token) : null;
}

/** Looked up across the app: the ops routes live outside the capture module that holds the options. */
export function findCaptureOptions(moduleRef: Pick<ModuleRef, 'get'>): CaptureModuleOptions | undefined {
  try {
    return moduleRef.get<CaptureModuleOptions>(CAPTURE_OPTIONS, { strict: false });
  } catch {
    return undefined;
  }
}

/** `Authorization: Bearer <ops token>` for /metrics and /health/details. */
@Injectable()
export class OpsTokenGuard implements CanActivate {
  private expected?: Buffer | null;

  constructor(private readonly moduleRef: ModuleRef) {}

  canActivate(context: ExecutionContext): boolean {
    this.expected ??= opsTokenDigest(findCaptureOptions(this.moduleRef));
    const http = context.switchToHttp();
    const presented = presentedBearer(http.getRequest<FastifyRequest>().headers.authorization);
    if (bearerMatches(presented, this.expected)) return true;
    throw unauthorized(http.getResponse<FastifyReply>(), presented, OPS_TOKEN_NAME);
  }
}
