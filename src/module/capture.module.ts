import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CaptureHealthIndicator } from '../health/capture-health.indicator';
import {
  CAPTURE_OPTIONS,
  DEFAULT_CAPTURE_OPTIONS,
  type CaptureModuleOptions,
} from '../capture/options/capture-options';
import { CAPTURE_MODULE_CONFIG, ConfigurableCaptureModule } from './capture.module-definition';
import type { CaptureModuleConfig } from './capture-module-shape';
import { OrderEventApplier } from '../capture/order-event-applier';
import { CaptureRequestService } from '../capture/execution/capture-request.service';
import { EXECUTION_PROVIDERS } from '../capture/execution';
import { CaptureScheduler, SCHEDULER_PROVIDERS } from '../scheduler';
import { CaptureExecutor } from '../capture/execution/capture-executor';
import { ReconciliationService } from '../capture/execution/reconciliation.service';
import { OrdersService } from '../capture/orders.service';
import { AttemptWriter } from '../capture/persistence/attempt-writer';
import { CAPTURE_DATA_SOURCE } from '../capture/persistence/data-source';
import { UnitOfWork } from '../capture/persistence/unit-of-work';
import { WEBHOOK_PROVIDERS } from '../webhooks';
import { OUTBOX_PROVIDERS, OutboxDispatcher } from '../outbox';
import { QUERY_PROVIDERS } from '../capture/queries';
import { acquirerClientsProvider } from './acquirer-clients.provider';
import { ACQUIRER_CLIENTS } from '../capture/ports/acquirer-port';
import { CLOCK, SYSTEM_CLOCK } from '../capture/ports/clock';

/**
 * The capture module. A host app brings its own TypeORM connection (with CAPTURE_ENTITIES and
 * CAPTURE_MIGRATIONS) and imports CaptureModule.forRoot(...) or forRootAsync(...); the routes,
 * the connection and the table names follow the extras (capture-module-shape.ts).
 */
@Module({
  // HealthIndicatorService, for the health indicator a host mounts in its own /health.
  imports: [TerminusModule],
  providers: [
    CaptureHealthIndicator,
    {
      provide: CAPTURE_OPTIONS,
      inject: [CAPTURE_MODULE_CONFIG],
      useFactory: (config: CaptureModuleConfig): CaptureModuleOptions => ({
        ...DEFAULT_CAPTURE_OPTIONS,
        ...config,
      }),
    },
    // One clock for the whole shell; a host or a test overrides it (overrideProvider(CLOCK)).
    { provide: CLOCK, useValue: SYSTEM_CLOCK },
    UnitOfWork,
    acquirerClientsProvider,
    AttemptWriter,
    OrderEventApplier,
    OrdersService,
    CaptureRequestService,
    ...EXECUTION_PROVIDERS,
    ...SCHEDULER_PROVIDERS,
    ...WEBHOOK_PROVIDERS,
    ...QUERY_PROVIDERS,
    ...OUTBOX_PROVIDERS,
  ],
  exports: [
    CAPTURE_DATA_SOURCE,
    CaptureHealthIndicator,
    CAPTURE_OPTIONS,
    CLOCK,
    ACQUIRER_CLIENTS,
    UnitOfWork,
    OrderEventApplier,
    OrdersService,
    CaptureRequestService,
    CaptureExecutor,
    ReconciliationService,
    CaptureScheduler,
    ...QUERY_PROVIDERS,
    OutboxDispatcher,
  ],
})
export class CaptureModule extends ConfigurableCaptureModule {}
