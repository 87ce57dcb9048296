import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import type { Params } from 'nestjs-pino';
import type { Logger as PinoLogger } from 'pino';
import type { AppConfig } from './config/app-config';
import { createRootLogger, effectiveLogLevel } from './observability/logger';
import { serviceLogger } from './observability/nest-logger';
import { requestId, requestLoggingParams } from './observability/request-logging';
import { setupCaptureHttp } from './http/http-setup';
import { installWebhookHttp } from './webhooks/install-webhook-http';

export type HttpAdapterName = 'fastify' | 'express';

export interface CreateAppOptions {
  logger?: PinoLogger;
  /** The service runs on Fastify; `express` builds the same app on Express (the library supports both). */
  adapter?: HttpAdapterName;
}

/** Builds the app (raw bodies kept for signature checks); tests use it with port 0. */
export async function createApp(
  config: AppConfig,
  options?: { logger?: PinoLogger; adapter?: 'fastify' },
): Promise<NestFastifyApplication>;
export async function createApp(config: AppConfig, options?: CreateAppOptions): Promise<INestApplication>;
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<INestApplication> {
  const logger = options.logger ?? createRootLogger(effectiveLogLevel(config.logLevel));
  const logging = requestLoggingParams(logger);
  if (options.adapter === 'express') return createExpressApp(config, logging);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forConfig(config, logging),
    new FastifyAdapter({ bodyLimit: config.bodyLimitBytes, genReqId: requestId }),
    // abortOnError off: a failed start must reach main's handler (exit 1), not process.abort().
    // return503OnClosing: once shutdown begins, new requests are refused while in-flight ones finish.
    { rawBody: true, logger: serviceLogger(logging), abortOnError: false, return503OnClosing: true },
  );
  installWebhookHttp(app, config.bodyLimitBytes);
  setupCaptureHttp(app, { errorScope: 'app' });
  return app;
}

/** The same app on Express. */
async function createExpressApp(config: AppConfig, logging: Params): Promise<INestApplication> {
  // Loaded only here: @nestjs/platform-express is an optional peer, and the service runs on Fastify.
  const { ExpressAdapter } = await import('@nestjs/platform-express');
  const app = await NestFactory.create(AppModule.forConfig(config, logging), new ExpressAdapter(), {
    rawBody: true,
    logger: serviceLogger(logging),
    abortOnError: false,
  });
  installWebhookHttp(app, config.bodyLimitBytes);
  (app as INestApplication & { useBodyParser(type: string, options: { limit: number }): void }).useBodyParser(
    'json',
    { limit: config.bodyLimitBytes },
  );
  setupCaptureHttp(app, { errorScope: 'app' });
  return app;
}
