import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CaptureModule } from './capture/capture.module';
import { databaseOptions } from './capture/persistence/database-options';
import type { AppConfig } from './config/app-config';
import { HealthController } from './health/health.controller';

/** The standalone service: itself just a host app of CaptureModule. */
@Module({})
export class AppModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot(databaseOptions(config.databaseUrl, config.migrateOnStart)),
        CaptureModule.forRoot(config.capture),
      ],
      controllers: [HealthController],
    };
  }
}
