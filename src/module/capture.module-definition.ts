import { ConfigurableModuleBuilder } from '@nestjs/common';
import {
  shapeCaptureModule,
  type CaptureModuleConfig,
  type CaptureModuleExtras,
} from './capture-module-shape';

const CAPTURE_EXTRAS_DEFAULTS: Required<Omit<CaptureModuleExtras, 'connectionName'>> &
  Pick<CaptureModuleExtras, 'connectionName'> = {
  routePrefix: '',
  routes: { merchant: true, admin: true, webhooks: true },
  tablePrefix: '',
  schema: '',
  connectionName: undefined,
};

export const {
  ConfigurableModuleClass: ConfigurableCaptureModule,
  MODULE_OPTIONS_TOKEN: CAPTURE_MODULE_CONFIG,
  OPTIONS_TYPE: CAPTURE_MODULE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: CAPTURE_MODULE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<CaptureModuleConfig>()
  .setClassMethodName('forRoot')
  .setExtras<CaptureModuleExtras>(CAPTURE_EXTRAS_DEFAULTS, shapeCaptureModule)
  .build();
