import { AdminController } from './admin.controller';
import { AdminInsightsController } from './admin-insights.controller';
import { OrdersController } from './orders.controller';

export { setupCaptureHttp, setupOpenApi, type CaptureHttpOptions } from './http-setup';

/** The merchant backend's routes of CaptureModule (bearer token). */
export const MERCHANT_CONTROLLERS = [OrdersController];
/** The operators' routes of CaptureModule (bearer token), which the console reads too. */
export const ADMIN_CONTROLLERS = [AdminController, AdminInsightsController];
