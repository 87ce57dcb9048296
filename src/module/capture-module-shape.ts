/**
 * The part of CaptureModule that depends on how a host mounts it: which controllers exist, under
 * which path, on which connection and tables. Applied once per forRoot / forRootAsync call.
 */
import type { DynamicModule, Type } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { ADMIN_CONTROLLERS, MERCHANT_CONTROLLERS } from '../http';
import { WEBHOOK_CONTROLLERS } from '../webhooks';
import type { CaptureModuleOptions } from '../capture/options/capture-options';
import { captureDataSourceProvider } from '../capture/persistence/data-source';
import {
  configureCaptureTables,
  type CaptureTableOptions,
} from '../capture/persistence/entities/table-names';

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

/** `/payments/` and `payments` both mean `payments`; '' means the root. */
function normalizeRoutePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').trim().replace(/^\/+|\/+$/g, '');
  if (trimmed !== '' && !/^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/.test(trimmed)) {
    throw new Error(
      `order-capture: routePrefix ${JSON.stringify(prefix)} must be a path such as "payments" or "api/capture"`,
    );
  }
  return trimmed;
}

export function shapeCaptureModule(definition: DynamicModule, extras: CaptureModuleExtras): DynamicModule {
  configureCaptureTables({ tablePrefix: extras.tablePrefix, schema: extras.schema });
  const routes = { merchant: true, admin: true, webhooks: true, ...extras.routes };
  const controllers: Type[] = [
    ...(routes.webhooks ? WEBHOOK_CONTROLLERS : []),
    ...(routes.merchant ? MERCHANT_CONTROLLERS : []),
    ...(routes.admin ? ADMIN_CONTROLLERS : []),
  ];
  const prefix = normalizeRoutePrefix(extras.routePrefix);
  return {
    ...definition,
    imports: [
      ...(definition.imports ?? []),
      ...(prefix !== '' ? [RouterModule.register([{ path: prefix, module: definition.module }])] : []),
    ],
    providers: [...(definition.providers ?? []), captureDataSourceProvider(extras.connectionName)],
    controllers: [...(definition.controllers ?? []), ...controllers],
  };
}
