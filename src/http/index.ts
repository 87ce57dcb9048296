import { AdminController } from './admin.controller';
import { AdminInsightsController } from './admin-insights.controller';
import { OrdersController } from './orders.controller';

export { setupCaptureHttp, setupOpenApi, type CaptureHttpOptions } from './http-setup';

/** The merchant and admin routes of CaptureModule (bearer token). */
export const HTTP_CONTROLLERS = [OrdersController, AdminController, AdminInsightsController];
