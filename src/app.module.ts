import { Module, type DynamicModule } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule, type Params } from 'nestjs-pino';
import { CaptureModule } from './module/capture.module';
import { databaseOptions } from './capture/persistence/database-options';
import { createDataSource } from './capture/persistence/sqlite-parameters';
import type { AppConfig } from './config/app-config';
import { ConsoleModule } from './console/console.module';
import { HealthModule } from './health/health.module';
import { ObservabilityModule } from './observability/observability.module';
import { ShutdownDrainModule } from './lifecycle/shutdown-drain';

/**
 * The standalone service: itself just a host app of CaptureModule. It, not CaptureModule, installs
 * nestjs-pino (request lines and request context): a host keeps the logger it chose.
 */
@Module({})
export class AppModule {
  /** Without `logging` (a script's application context): no request logging to install. */
  static forConfig(config: AppConfig, logging?: Params): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...(logging ? [LoggerModule.forRoot(logging)] : []),
        ObservabilityModule,
        HealthModule,
        ShutdownDrainModule,
        TypeOrmModule.forRootAsync({
          useFactory: () =>
            databaseOptions(config.databaseUrl, config.migrateOnStart, config.databaseTimeouts),
          dataSourceFactory: (options) => Promise.resolve(createDataSource(options!)),
        }),
        EventEmitterModule.forRoot(),
        // Only triggers: the capture module's jobs register their interval with it.
        ScheduleModule.forRoot(),
        CaptureModule.forRoot(config.capture),
        ConsoleModule.register(config.console),
      ],
    };
  }
}
