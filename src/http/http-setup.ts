import type { INestApplication } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ApiExceptionFilter } from './errors/api-exception.filter';

/** The webhooks answer in each acquirer's own acknowledgement format, never in ours. */
export const WEBHOOK_PATH_PREFIX = '/webhooks';

export interface CaptureHttpOptions {
  /** The module's routePrefix, when the host mounted it under one. */
  routePrefix?: string;
  /**
   * `module` (default): the API error shape only on the module's own /orders and /admin paths,
   * a host app's other routes keep Nest's; `app`: every path but the webhooks (the standalone).
   */
  errorScope?: 'module' | 'app';
  /** Where the OpenAPI document goes (`docs`, under the prefix); false: none. */
  docsPath?: string | false;
}

/**
 * What an app hosting the capture routes may add on top of the controllers' own filters: the API
 * error shape for what happens before any controller runs (the framework's 415, broken JSON, 413),
 * and the OpenAPI document at /docs (JSON at /docs-json). The standalone service calls it from
 * bootstrap; a host app may too.
 */
export function setupCaptureHttp(app: INestApplication, options: CaptureHttpOptions = {}): void {
  const prefix = (options.routePrefix ?? '').replace(/^\/+|\/+$/g, '');
  const base = prefix === '' ? '' : `/${prefix}`;
  app.useGlobalFilters(
    new ApiExceptionFilter({
      skipPathPrefixes: [base + WEBHOOK_PATH_PREFIX],
      ...(options.errorScope === 'app' ? {} : { onlyPathPrefixes: [`${base}/orders`, `${base}/admin`] }),
      fallback: new BaseExceptionFilter(app.getHttpAdapter()),
    }),
  );
  if (options.docsPath !== false)
    setupOpenApi(app, options.docsPath ?? (prefix === '' ? 'docs' : `${prefix}/docs`));
}

export function setupOpenApi(app: INestApplication, path = 'docs'): void {
  const config = new DocumentBuilder()
    .setTitle('order-capture')
    .setDescription(
      'Payment-capture lifecycle of orders (Antom, PayerMax). Amounts are integer minor units as ' +
        'digit strings; errors are { statusCode, error, message, details?: [{ field, rule }] }.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' })
    .build();
  SwaggerModule.setup(path, app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: `${path}-json`,
  });
}
