import type { AnalyticsStore } from './client.ts';

/**
 * The analytics tables. Ingestion is at-least-once, so every table is a ReplacingMergeTree whose
 * sorting key identifies one event (or one order line): redelivered copies share the key and
 * collapse at merge time. Merges run whenever ClickHouse likes, so the read queries count
 * distinct keys themselves (queries.ts) instead of trusting the table to be merged.
 *
 * Kept to ClickHouse 18.16 (the local stack's and docker-compose's version): no TTL, no
 * LowCardinality, no query parameters.
 */
export const TABLES = {
  productViews: 'product_views',
  orderItems: 'order_items',
  orderOutcomes: 'order_outcomes',
} as const;

function ddl(db: string): string[] {
  return [
    `CREATE DATABASE IF NOT EXISTS ${db}`,
    // Sorted by product first: per-product counts read a few granules.
    `CREATE TABLE IF NOT EXISTS ${db}.${TABLES.productViews} (
      event_id UUID,
      product_id UUID,
      user_id Nullable(UUID),
      occurred_at DateTime
    ) ENGINE = ReplacingMergeTree()
    PARTITION BY toYYYYMM(occurred_at)
    ORDER BY (product_id, occurred_at, event_id)`,
    // One row per line of an OrderPlaced. An order is placed once, so (order, line) is the
    // identity even if a producer ever re-sent the event under a new id.
    `CREATE TABLE IF NOT EXISTS ${db}.${TABLES.orderItems} (
      event_id UUID,
      order_id UUID,
      line UInt16,
      product_id UUID,
      quantity UInt32,
      placed_at DateTime
    ) ENGINE = ReplacingMergeTree()
    PARTITION BY toYYYYMM(placed_at)
    ORDER BY (order_id, line)`,
    // OrderCompleted / OrderCancelled: sales count the lines of completed, never-cancelled orders.
    `CREATE TABLE IF NOT EXISTS ${db}.${TABLES.orderOutcomes} (
      event_id UUID,
      order_id UUID,
      outcome Enum8('completed' = 1, 'cancelled' = 2),
      occurred_at DateTime
    ) ENGINE = ReplacingMergeTree()
    PARTITION BY toYYYYMM(occurred_at)
    ORDER BY (order_id, event_id)`,
  ];
}

/** Creates the (empty) database when missing: the local stack does it for the default one. */
export async function ensureAnalyticsDatabase(store: AnalyticsStore): Promise<void> {
  await store.client.command({ query: `CREATE DATABASE IF NOT EXISTS ${store.database}` });
}

/** Creates the database and tables when missing; safe to run on every start, by every replica. */
export async function applyAnalyticsSchema(store: AnalyticsStore): Promise<void> {
  for (const query of ddl(store.database)) await store.client.command({ query });
}

/** Drops the whole database: tests and benchmarks only. */
export async function dropAnalyticsDatabase(store: AnalyticsStore): Promise<void> {
  await store.client.command({ query: `DROP DATABASE IF EXISTS ${store.database}` });
}
