/**
 * What a host NestJS app imports to embed the capture lifecycle (README, "Install it in your NestJS app").
 * The standalone service (src/main.ts) is one such host.
 */
export { CaptureModule } from './module/capture.module';
export {
  CAPTURE_MODULE_ASYNC_OPTIONS_TYPE,
  CAPTURE_MODULE_OPTIONS_TYPE,
} from './module/capture.module-definition';
export type {
  CaptureModuleConfig,
  CaptureModuleExtras,
  CaptureRouteGroups,
} from './module/capture-module-shape';
export { CLOCK, SYSTEM_CLOCK, type Clock } from './capture/ports/clock';
export { CAPTURE_DATA_SOURCE } from './capture/persistence/data-source';
export { configureCaptureTables, type CaptureTableOptions } from './capture/persistence/entities/table-names';
export {
  CAPTURE_OPTIONS,
  DEFAULT_CAPTURE_OPTIONS,
  type AntomSettings,
  type CaptureModuleOptions,
  type PayermaxSettings,
} from './capture/options/capture-options';
export { CAPTURE_ENTITIES } from './capture/persistence/entities';
export { CAPTURE_MIGRATIONS } from './capture/persistence/migrations';
export { OrderEventApplier } from './capture/order-event-applier';
export type { ApplyResult, EventSource } from './capture/capture-result';
export { OrdersService, type RegisterResult } from './capture/orders.service';
export type { RegisterOrderInput } from './capture/registration';
export { CaptureRequestService } from './capture/execution/capture-request.service';
export { ReconciliationService } from './capture/execution/reconciliation.service';
export { OrderDetailQuery, OrderInsightsQuery, OrderListQuery, OrderStatsQuery } from './capture/queries';
export type {
  Acquirer,
  CaptureEvent,
  CaptureMode,
  CaptureStateName,
  DomainEventType,
  Money,
} from './capture/machine/capture-types';
export { DOMAIN_EVENT_TYPES, OutboxDispatcher, type DomainEvent } from './outbox';
export { setupCaptureHttp, setupOpenApi, type CaptureHttpOptions } from './http';
export { ConsoleModule, DEFAULT_CONSOLE_OPTIONS, type ConsoleOptions } from './console/console.module';
export { installWebhookHttp, type WebhookHttpOptions } from './webhooks';
export { parsePrivateKey, parsePublicKey } from './acquirers/keys';
export { CaptureHealthIndicator } from './health/capture-health.indicator';
export { CaptureMetricsModule } from './observability/capture-metrics.module';
export { MetricsService } from './observability/metrics.service';
