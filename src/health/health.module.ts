import { Logger, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { MigrationsHealthIndicator } from './migrations.indicator';
import { SchedulerHealthIndicator } from './scheduler.indicator';

/** /health (readiness) and /health/live (liveness), on @nestjs/terminus. */
@Module({
  imports: [TerminusModule.forRoot({ logger: Logger, errorLogStyle: 'json' })],
  controllers: [HealthController],
  providers: [MigrationsHealthIndicator, SchedulerHealthIndicator],
})
export class HealthModule {}
