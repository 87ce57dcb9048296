import { Controller, Get, HttpCode, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { MigrationsHealthIndicator } from './migrations.indicator';
import { SchedulerHealthIndicator } from './scheduler.indicator';

const CHECK_TIMEOUT_MS = 2000;

/**
 * Readiness (/health): the database answers, its schema is current, and the scheduler runs
 * when this instance is meant to run it; otherwise 503 with each check's details, also while
 * shutting down. Liveness (/health/live): the process serves requests, nothing else.
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

  @Get('live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }
}
