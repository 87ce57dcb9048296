import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { CaptureModuleOptions } from './capture-options';

/** What a host passes to CaptureModule.forRoot / forRootAsync: any option left out takes its default. */
export type CaptureModuleConfig = Partial<CaptureModuleOptions>;

export const {
  ConfigurableModuleClass: ConfigurableCaptureModule,
  MODULE_OPTIONS_TOKEN: CAPTURE_MODULE_CONFIG,
  OPTIONS_TYPE: CAPTURE_MODULE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: CAPTURE_MODULE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<CaptureModuleConfig>().setClassMethodName('forRoot').build();
