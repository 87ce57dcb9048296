import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import type { Logger as PinoLogger } from 'pino';
import type { AppConfig } from './config/app-config';
import { createRootLogger, effectiveLogLevel } from './observability/logger';
import { PinoNestLogger } from './observability/nest-logger';
import { installRequestLogging, requestId } from './observability/request-logging';
import { setupCaptureHttp } from './http/http-setup';
import { installWebhookHttp } from './webhooks/install-webhook-http';

/** Builds the Fastify app (raw bodies kept for signature checks); tests use it with port 0. */
export async function createApp(
  config: AppConfig,
  options: { logger?: PinoLogger } = {},
): Promise<NestFastifyApplication> {
  const logger = options.logger ?? createRootLogger(effectiveLogLevel(config.logLevel));
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forConfig(config),
    new FastifyAdapter({ bodyLimit: config.bodyLimitBytes, genReqId: requestId }),
    // abortOnError off: a failed start must reach main's handler (exit 1), not process.abort().
    // return503OnClosing: once shutdown begins, new requests are refused while in-flight ones finish.
    { rawBody: true, logger: new PinoNestLogger(logger), abortOnError: false, return503OnClosing: true },
  );
  installRequestLogging(app.getHttpAdapter().getInstance(), logger);
  installWebhookHttp(app, config.bodyLimitBytes);
  setupCaptureHttp(app, { errorScope: 'app' });
  return app;
}
