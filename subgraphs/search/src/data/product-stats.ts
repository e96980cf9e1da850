import DataLoader from 'dataloader';
import {
  productCounts,
  windowStart,
  type AnalyticsStore,
  type AnalyticsWindow,
} from '@shop/analytics';
import { isId } from '@shop/subgraph-kit';

export interface ProductStatsCounts {
  views: number;
  sales: number;
}

/**
 * Per-request loaders of product stats, one per window: the stats of every product of a response
 * (a list of 100 products, say) come from one ClickHouse query. Every window starts from the same
 * `now`, so one response never mixes two moments.
 */
export function productStatsLoaders(store: AnalyticsStore, now: Date = new Date()) {
  const loaders = new Map<AnalyticsWindow, DataLoader<string, ProductStatsCounts>>();
  return (window: AnalyticsWindow): DataLoader<string, ProductStatsCounts> => {
    let loader = loaders.get(window);
    if (!loader) {
      const since = windowStart(window, now);
      loader = new DataLoader(
        async (ids) => {
          // A reference that is not a UUID names no product, so it has no events either.
          const counts = await productCounts(store, ids.filter(isId), since);
          return ids.map((id) => {
            const c = counts.get(id.toLowerCase());
            return { views: c?.views ?? 0, sales: c?.sales ?? 0 };
          });
        },
        { maxBatchSize: 1000 },
      );
      loaders.set(window, loader);
    }
    return loader;
  };
}
