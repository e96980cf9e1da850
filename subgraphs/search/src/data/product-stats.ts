import DataLoader from 'dataloader';
import {
  productCounts,
  windowStart,
  type AnalyticsStore,
  type AnalyticsWindow,
  type ProductCounts,
} from '@shop/analytics';
import { fromCents, isId, type Money } from '@shop/subgraph-kit';

export interface ProductStatsCounts {
  views: number;
  sales: number;
  revenue: Money | null;
  revenueExTax: Money | null;
}

/** A product's counts as the graph shows them: money as the contract's Money. */
export function statsOf(counts: ProductCounts | undefined): ProductStatsCounts {
  const revenue = counts?.revenue;
  return {
    views: counts?.views ?? 0,
    sales: counts?.sales ?? 0,
    revenue: revenue ? fromCents(revenue.revenue, revenue.currency) : null,
    revenueExTax: revenue ? fromCents(revenue.revenueExTax, revenue.currency) : null,
  };
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
          return ids.map((id) => statsOf(counts.get(id.toLowerCase())));
        },
        { maxBatchSize: 1000 },
      );
      loaders.set(window, loader);
    }
    return loader;
  };
}
