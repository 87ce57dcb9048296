import type { INestApplication } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ApiExceptionFilter } from './errors/api-exception.filter';

/** The webhooks answer in each acquirer's own acknowledgement format, never in ours. */
export const WEBHOOK_PATH_PREFIX = '/webhooks';

/**
 * What an app hosting the capture routes adds on top of the controllers' own filters: the API
 * error shape for what happens before any controller runs (Fastify's 415, broken JSON, 413,
 * unknown routes), and the OpenAPI document at /docs (JSON at /docs-json). The standalone
 * service calls it from bootstrap; a host app may too.
 */
export function setupCaptureHttp(app: INestApplication): void {
  app.useGlobalFilters(
    new ApiExceptionFilter({
      skipPathPrefixes: [WEBHOOK_PATH_PREFIX],
      fallback: new BaseExceptionFilter(app.getHttpAdapter()),
    }),
  );
  setupOpenApi(app);
}

export function setupOpenApi(app: INestApplication, path = 'docs'): void {
  const config = new DocumentBuilder()
    .setTitle('order-capture')
    .setDescription(
      'Payment-capture lifecycle of orders (Antom, PayerMax). Amounts are integer minor units as ' +
        'digit strings; errors are { statusCode, error, message, details?: [{ field, rule }] }.',
    )
    .setVersion('1')
    // Nest's default bearerFormat says JWT; ADMIN_TOKEN is an opaque shared secret.
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: undefined, description: 'ADMIN_TOKEN' })
    .build();
  SwaggerModule.setup(path, app, () => SwaggerModule.createDocument(app, config), {
    jsonDocumentUrl: `${path}-json`,
  });
}
