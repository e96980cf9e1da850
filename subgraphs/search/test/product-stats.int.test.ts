import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  applyAnalyticsSchema,
  connectAnalytics,
  dropAnalyticsDatabase,
  insertAnalyticsRows,
  type AnalyticsStore,
} from '@shop/analytics';
import { TEST_PREFIX } from '@shop/testing';
import { productStatsLoaders } from '../src/data/product-stats.ts';

let store: AnalyticsStore;
let queries = 0;

beforeAll(async () => {
  store = connectAnalytics({
    url: inject('stack').clickhouse.url,
    database: `${TEST_PREFIX}_analytics_stats`,
  });
  await dropAnalyticsDatabase(store);
  await applyAnalyticsSchema(store);
  // Counts the statements the loader sends to the real server.
  const query = store.client.query.bind(store.client);
  store.client.query = ((params: Parameters<typeof query>[0]) => {
    queries++;
    return query(params);
  }) as typeof store.client.query;
});
afterAll(async () => {
  await store?.close();
});

describe('product stats loader', () => {
  it('answers every product of a request with one query per window', async () => {
    const ids = Array.from({ length: 40 }, () => randomUUID());
    const now = new Date();
    await insertAnalyticsRows(
      store,
      ids.slice(0, 10).flatMap((productId, i) =>
        Array.from({ length: i + 1 }, () => ({
          table: 'product_views' as const,
          eventId: randomUUID(),
          productId,
          userId: null,
          occurredAt: now,
        })),
      ),
    );
    const loaders = productStatsLoaders(store, now);
    queries = 0;
    const [hour, month] = await Promise.all([
      Promise.all([...ids, 'not-a-uuid'].map((id) => loaders('LAST_HOUR').load(id))),
      Promise.all(ids.slice(0, 3).map((id) => loaders('LAST_30_DAYS').load(id))),
    ]);
    expect(queries).toBe(2);
    expect(hour.map((s) => s.views)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => i + 1),
      ...Array.from({ length: 31 }, () => 0),
    ]);
    const noSales = { sales: 0, revenue: null, revenueExTax: null };
    expect(month).toEqual([
      { views: 1, ...noSales },
      { views: 2, ...noSales },
      { views: 3, ...noSales },
    ]);
  });
});
