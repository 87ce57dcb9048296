import { Global, Module } from '@nestjs/common';
import { CaptureMetrics } from './capture-metrics';
import { DatabaseGauges } from './database-gauges';
import { MetricsService } from './metrics.service';

/**
 * The module's Prometheus metrics for a host app: import it beside CaptureModule and serve
 * `await metrics.scrape()` (content type and text; it refreshes the gauges read from the
 * database first) wherever the host serves metrics, or merge `metrics.registry` into its own. Global, because the capture providers inject
 * MetricsService optionally: without this module they count nothing.
 */
@Global()
@Module({
  providers: [DatabaseGauges, MetricsService, CaptureMetrics],
  exports: [MetricsService, CaptureMetrics],
})
export class CaptureMetricsModule {}
