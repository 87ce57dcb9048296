import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CAPTURE_OPTIONS, DEFAULT_CAPTURE_OPTIONS, type CaptureModuleOptions } from './capture-options';
import {
  CAPTURE_MODULE_CONFIG,
  ConfigurableCaptureModule,
  type CaptureModuleConfig,
} from './capture.module-definition';
import { CaptureService } from './capture.service';
import { CaptureRequestService } from './execution/capture-requests';
import { OrdersService } from './orders.service';
import { AttemptWriter } from './persistence/attempt-writer';
import { CAPTURE_ENTITIES } from './persistence/entities';
import { UnitOfWork } from './persistence/unit-of-work';

/**
 * The capture module. A host app brings its own TypeORM connection (with CAPTURE_ENTITIES and
 * CAPTURE_MIGRATIONS) and imports CaptureModule.forRoot(...) or forRootAsync(...).
 */
@Module({
  imports: [TypeOrmModule.forFeature(CAPTURE_ENTITIES)],
  providers: [
    {
      provide: CAPTURE_OPTIONS,
      inject: [CAPTURE_MODULE_CONFIG],
      useFactory: (config: CaptureModuleConfig): CaptureModuleOptions => ({
        ...DEFAULT_CAPTURE_OPTIONS,
        ...config,
      }),
    },
    UnitOfWork,
    AttemptWriter,
    CaptureService,
    OrdersService,
    CaptureRequestService,
  ],
  exports: [CAPTURE_OPTIONS, UnitOfWork, CaptureService, OrdersService, CaptureRequestService],
})
export class CaptureModule extends ConfigurableCaptureModule {}
