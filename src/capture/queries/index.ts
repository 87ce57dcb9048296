import { OrderDetailQuery } from './order-detail.query';
import { OrderInsightsQuery } from './order-insights.query';
import { OrderListQuery } from './order-list.query';
import { OrderStatsQuery } from './order-stats.query';

export { OrderDetailQuery, OrderInsightsQuery, OrderListQuery, OrderStatsQuery };

/** Read-only queries for the API (and for a host app's own screens). */
export const QUERY_PROVIDERS = [OrderListQuery, OrderDetailQuery, OrderStatsQuery, OrderInsightsQuery];
