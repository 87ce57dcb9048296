import { Controller, Get, HttpCode, Res, ServiceUnavailableException, UseGuards } from '@nestjs/common';
import {
  HealthCheckService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { OpsTokenGuard } from '../http/auth/ops-token.guard';
import { MigrationsHealthIndicator } from './migrations.indicator';
import { SchedulerHealthIndicator } from './scheduler.indicator';

const CHECK_TIMEOUT_MS = 2000;

/**
 * Readiness (/health): the database answers, its schema is current, and the scheduler runs
 * when this instance is meant to run it; otherwise 503, also while shutting down. Liveness
 * (/health/live): the process serves requests, nothing else.
 *
 * Both are anonymous (load balancers call them), so /health says only up or down per check:
 * a failed check's message can name the database host and port, or the pending migrations.
 * The reasons are at /health/details, behind the ops token.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly migrations: MigrationsHealthIndicator,
    private readonly scheduler: SchedulerHealthIndicator,
  ) {}

  @Get()
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return statusesOnly(await this.check(reply));
  }

  @Get('details')
  @UseGuards(OpsTokenGuard)
  details(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return this.check(reply);
  }

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  private async check(reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database', { timeout: CHECK_TIMEOUT_MS }),
        () => this.migrations.check('migrations', CHECK_TIMEOUT_MS),
        () => this.scheduler.check('scheduler'),
      ]);
    } catch (err) {
      // Answered here rather than by an exception filter, so the details keep terminus' shape.
      if (!(err instanceof ServiceUnavailableException)) throw err;
      void reply.status(503);
      return err.getResponse() as HealthCheckResult;
    }
  }
}

/** terminus' shape, each check reduced to `{ status: "up" | "down" }`. */
function statusesOnly(result: HealthCheckResult): HealthCheckResult {
  const reduce = <T extends Partial<HealthIndicatorResult> | undefined>(checks: T): T => {
    if (!checks) return checks;
    const out: Partial<HealthIndicatorResult> = {};
    for (const [key, check] of Object.entries(checks)) if (check) out[key] = { status: check.status };
    return out as T;
  };
  return {
    status: result.status,
    info: reduce(result.info),
    error: reduce(result.error),
    details: reduce(result.details),
  };
}
