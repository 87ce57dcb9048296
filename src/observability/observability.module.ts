import { Module } from '@nestjs/common';
import { CaptureMetricsModule } from './capture-metrics.module';
import { MetricsController } from './metrics.controller';

/** The standalone service's metrics: the module's registry, served at /metrics behind the ops token. */
@Module({
  imports: [CaptureMetricsModule],
  controllers: [MetricsController],
})
export class ObservabilityModule {}
