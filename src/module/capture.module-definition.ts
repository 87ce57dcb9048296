import { ConfigurableModuleBuilder } from '@nestjs/common';
import { shapeCaptureModule } from './capture-module-shape';
import type { CaptureModuleOptions } from '../capture/options/capture-options';
import type { CaptureTableOptions } from '../capture/persistence/entities/table-names';

/** What a host passes to CaptureModule.forRoot / forRootAsync: any option left out takes its default. */
export type CaptureModuleConfig = Partial<CaptureModuleOptions>;

/** The route groups a host can switch off (all on by default). */
export interface CaptureRouteGroups {
  /** POST/GET /orders...: the merchant backend's routes (bearer token). */
  merchant?: boolean;
  /** /admin/...: the operators' routes (bearer token). */
  admin?: boolean;
  /** POST /webhooks/...: the acquirers' notifications (signed). */
  webhooks?: boolean;
}

/**
 * How the module sits in a host app. These shape the module itself (routes, tables, which
 * connection), so they are given directly, also with forRootAsync, never from the factory.
 */
export interface CaptureModuleExtras extends CaptureTableOptions {
  /** Mount every route of the module under this path, e.g. `payments` gives /payments/orders. */
  routePrefix?: string;
  routes?: CaptureRouteGroups;
  /** The host's TypeORM connection to use (TypeOrmModule.forRoot({ name })); default: the default one. */
  connectionName?: string;
}

export const CAPTURE_EXTRAS_DEFAULTS: Required<Omit<CaptureModuleExtras, 'connectionName'>> &
  Pick<CaptureModuleExtras, 'connectionName'> = {
  routePrefix: '',
  routes: { merchant: true, admin: true, webhooks: true },
  tablePrefix: '',
  schema: '',
  connectionName: undefined,
};

export const {
  ConfigurableModuleClass: ConfigurableCaptureModule,
  MODULE_OPTIONS_TOKEN: CAPTURE_MODULE_CONFIG,
  OPTIONS_TYPE: CAPTURE_MODULE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: CAPTURE_MODULE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<CaptureModuleConfig>()
  .setClassMethodName('forRoot')
  .setExtras<CaptureModuleExtras>(CAPTURE_EXTRAS_DEFAULTS, shapeCaptureModule)
  .build();
