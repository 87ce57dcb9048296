import { OrderDetailQuery } from './order-detail.query';
import { OrderInsightsQuery } from './order-insights.query';
import { OrderListQuery } from './order-list.query';
import { OrderStatsQuery } from './order-stats.query';

export { OrderDetailQuery, OrderInsightsQuery, OrderListQuery, OrderStatsQuery };
export type { OrderDetail } from './order-detail.query';
export type { OrderListFilter, OrderLookup, OrderPage } from './order-list.query';
export type { OrderStats } from './order-stats.query';
export type { CaptureTimes, DeadlineCliff, PendingAttempt } from './order-insights.query';

/** Read-only queries for the API (and for a host app's own screens). */
export const QUERY_PROVIDERS = [OrderListQuery, OrderDetailQuery, OrderStatsQuery, OrderInsightsQuery];
