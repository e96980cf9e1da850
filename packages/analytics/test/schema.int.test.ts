import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  addMissingColumns,
  applyAnalyticsSchema,
  connectAnalytics,
  dropAnalyticsDatabase,
  ensureAnalyticsDatabase,
  productCounts,
  windowStart,
  type AnalyticsStore,
} from '../src/index.ts';

let store: AnalyticsStore;

beforeAll(async () => {
  store = connectAnalytics({
    url: inject('stack').clickhouse.url,
    database: `${process.env.TEST_PREFIX ?? 'shoptest'}_analytics_schema`,
  });
  await dropAnalyticsDatabase(store);
});
afterAll(async () => {
  await store?.close();
});

const columnsOf = async (table: string) => {
  const result = await store.client.query({
    query: `SELECT name FROM system.columns WHERE database = '${store.database}' AND table = '${table}'`,
    format: 'JSONEachRow',
  });
  return (await result.json<{ name: string }>()).map((r) => r.name);
};

describe('analytics schema', () => {
  it('brings a database made before the checkout up to date, keeping its rows', async () => {
    // order_items and order_outcomes as the first version made them, with a sale in them.
    await ensureAnalyticsDatabase(store);
    const db = store.database;
    await store.client.command({
      query: `CREATE TABLE ${db}.order_items (event_id UUID, order_id UUID, line UInt16,
        product_id UUID, quantity UInt32, placed_at DateTime)
        ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(placed_at) ORDER BY (order_id, line)`,
    });
    const [productId, orderId] = [randomUUID(), randomUUID()];
    await store.client.command({
      query: `INSERT INTO ${db}.order_items VALUES
        ('${randomUUID()}', '${orderId}', 0, '${productId}', 3, now())`,
    });

    // Replicas starting together: every one of them gets through, each column is added once.
    await Promise.all([applyAnalyticsSchema(store), applyAnalyticsSchema(store)]);
    expect(await columnsOf('order_items')).toEqual([
      'event_id',
      'order_id',
      'line',
      'product_id',
      'quantity',
      'placed_at',
      'currency',
      'discount',
      'revenue',
      'revenue_ex_tax',
    ]);
    expect(await columnsOf('order_totals')).toContain('shipping_country');
    // Tables of later versions are created beside the old ones.
    expect(await columnsOf('fulfillment_milestones')).toEqual([
      'event_id',
      'order_id',
      'milestone',
      'occurred_at',
    ]);
    expect(await columnsOf('returned_lines')).toContain('refund');
    expect(await addMissingColumns(store)).toEqual([]);

    // The old line still counts as a sale, with no money (it has none).
    await store.client.command({
      query: `INSERT INTO ${db}.order_outcomes VALUES ('${randomUUID()}', '${orderId}', 'completed', now())`,
    });
    const counts = await productCounts(store, [productId], windowStart('LAST_HOUR'));
    expect(counts.get(productId)).toEqual({ productId, views: 0, sales: 3, revenue: null });
  });
});
