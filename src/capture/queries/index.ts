import { OrderDetailQuery } from './order-detail.query';
import { OrderListQuery } from './order-list.query';
import { OrderStatsQuery } from './order-stats.query';

export { OrderDetailQuery, OrderListQuery, OrderStatsQuery };
export type { OrderDetail } from './order-detail.query';
export type { OrderListFilter, OrderLookup, OrderPage } from './order-list.query';
export type { OrderStats } from './order-stats.query';

/** Read-only queries for the API (and for a host app's own screens). */
export const QUERY_PROVIDERS = [OrderListQuery, OrderDetailQuery, OrderStatsQuery];
