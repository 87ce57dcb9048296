import { Global, Module } from '@nestjs/common';
import { CaptureMetrics } from './capture-metrics';
import { DatabaseGauges } from './database-gauges';
import { MetricsService } from './metrics.service';

/**
 * The module's Prometheus metrics for a host app: import it beside CaptureModule and expose
 * `MetricsService.registry` wherever the host serves metrics (`await registry.metrics()`), or
 * merge it into the host's own registry. Global, because the capture providers inject
 * MetricsService optionally: without this module they count nothing.
 */
@Global()
@Module({
  providers: [DatabaseGauges, MetricsService, CaptureMetrics],
  exports: [MetricsService, CaptureMetrics],
})
export class CaptureMetricsModule {}
