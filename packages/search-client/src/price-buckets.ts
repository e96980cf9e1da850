/**
 * The price ranges of the search facet: lower bound inclusive, upper bound exclusive, the last
 * one open. Chosen for a tackle shop where most items cost between 5 and 500.
 */
export const PRICE_BOUNDARIES = [25, 50, 100, 200, 500] as const;

export interface PriceBucket {
  /** Stable key, for example "25-50" or "500-". */
  key: string;
  /** Inclusive lower bound as a decimal string, null for the first bucket. */
  min: string | null;
  /** Exclusive upper bound as a decimal string, null for the last bucket. */
  max: string | null;
}

export function priceBuckets(boundaries: readonly number[] = PRICE_BOUNDARIES): PriceBucket[] {
  const sorted = [...boundaries].sort((a, b) => a - b);
  const edges: (number | null)[] = [null, ...sorted, null];
  return edges.slice(0, -1).map((low, i) => {
    const high = edges[i + 1] ?? null;
    return {
      key: `${low ?? 0}-${high ?? ''}`,
      min: low === null ? null : low.toFixed(2),
      max: high === null ? null : high.toFixed(2),
    };
  });
}

/** The Elasticsearch `range` aggregation ranges of the buckets (from inclusive, to exclusive). */
export function rangeAggregationRanges(buckets: PriceBucket[]) {
  return buckets.map((b) => ({
    key: b.key,
    ...(b.min !== null ? { from: Number(b.min) } : {}),
    ...(b.max !== null ? { to: Number(b.max) } : {}),
  }));
}
