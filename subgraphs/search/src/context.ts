import type { AnalyticsStore } from '@shop/analytics';
import type { SearchClient } from '@shop/search-client';
import type { BaseSubgraphContext } from '@shop/subgraph-kit';
import type { productStatsLoaders } from './data/product-stats.ts';

export interface SearchContext extends BaseSubgraphContext {
  search: SearchClient;
  indexPrefix: string;
  analytics: AnalyticsStore;
  /** The request's product-stats loader of a window. */
  productStats: ReturnType<typeof productStatsLoaders>;
}
