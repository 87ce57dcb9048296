import { Global, Module } from '@nestjs/common';
import { CaptureMetrics } from './capture-metrics';
import { DatabaseGauges } from './database-gauges';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/**
 * Metrics for the whole app: global, so that webhooks, jobs and clients inject MetricsService
 * (with @Optional() where their module is meant to be reusable without it).
 */
@Global()
@Module({
  providers: [DatabaseGauges, MetricsService, CaptureMetrics],
  controllers: [MetricsController],
  exports: [MetricsService, CaptureMetrics],
})
export class ObservabilityModule {}
