/**
 * The part of CaptureModule that depends on how a host mounts it: which controllers exist, under
 * which path, on which connection and tables. Applied once per forRoot / forRootAsync call.
 */
import type { DynamicModule, Type } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { ADMIN_CONTROLLERS, MERCHANT_CONTROLLERS } from '../http';
import { WEBHOOK_CONTROLLERS } from '../webhooks';
import type { CaptureModuleExtras } from './capture.module-definition';
import { captureDataSourceProvider } from '../capture/persistence/data-source';
import { configureCaptureTables } from '../capture/persistence/entities/table-names';

/** `/payments/` and `payments` both mean `payments`; '' means the root. */
export function normalizeRoutePrefix(prefix: string | undefined): string {
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
