import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import type { AppConfig } from './config/app-config';

/** Builds the Fastify app (raw bodies kept for signature checks); tests use it with port 0. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forConfig(config),
    new FastifyAdapter({ bodyLimit: config.bodyLimitBytes }),
    { rawBody: true, bufferLogs: false, logger: ['error', 'warn', 'log'] },
  );
  app.enableShutdownHooks();
  return app;
}
