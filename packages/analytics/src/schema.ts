import type { AnalyticsStore } from './client.ts';

/**
 * The analytics tables. Ingestion is at-least-once, so every table is a ReplacingMergeTree whose
 * sorting key identifies one event (or one order line, or one order): redelivered copies share
 * the key and collapse at merge time. Merges run whenever ClickHouse likes, so the read queries
 * count distinct keys themselves (queries.ts) instead of trusting the table to be merged.
 *
 * Kept to ClickHouse 18.16 (the local stack's and docker-compose's version): no TTL, no
 * LowCardinality, no query parameters, no `ADD COLUMN IF NOT EXISTS` (columns added after a
 * table's first version are added by addMissingColumns below).
 *
 * Money is in integer minor units (cents: every currency the contract knows has two decimals)
 * in Int64 columns, with the currency beside it; sums stay exact.
 */
export const TABLES = {
  productViews: 'product_views',
  orderItems: 'order_items',
  orderOutcomes: 'order_outcomes',
  orderTotals: 'order_totals',
  fulfillmentMilestones: 'fulfillment_milestones',
  returnedLines: 'returned_lines',
} as const;

export type TableName = (typeof TABLES)[keyof typeof TABLES];

interface Column {
  name: string;
  type: string;
  /** Only for columns added after the table's first version: what older rows read. */
  default?: string;
}

interface TableDefinition {
  columns: Column[];
  /** ENGINE, PARTITION BY and ORDER BY. */
  engine: string;
}

/**
 * Every table's columns in their current version. A column with a `default` was added later:
 * a database made by an older version gets it by ALTER TABLE ... ADD COLUMN, and its older rows
 * read the default.
 */
const DEFINITIONS: Record<TableName, TableDefinition> = {
  // Sorted by product first: per-product counts read a few granules.
  [TABLES.productViews]: {
    columns: [
      { name: 'event_id', type: 'UUID' },
      { name: 'product_id', type: 'UUID' },
      { name: 'user_id', type: 'Nullable(UUID)' },
      { name: 'occurred_at', type: 'DateTime' },
    ],
    engine: `ReplacingMergeTree()
    PARTITION BY toYYYYMM(occurred_at)
    ORDER BY (product_id, occurred_at, event_id)`,
  },
  // One row per line of an OrderPlaced. An order is placed once, so (order, line) is the
  // identity even if a producer ever re-sent the event under a new id.
  [TABLES.orderItems]: {
    columns: [
      { name: 'event_id', type: 'UUID' },
      { name: 'order_id', type: 'UUID' },
      { name: 'line', type: 'UInt16' },
      { name: 'product_id', type: 'UUID' },
      { name: 'quantity', type: 'UInt32' },
      { name: 'placed_at', type: 'DateTime' },
      // Checkout additions: what the line brought in, after its share of the order's discount,
      // with tax and without (cents). Lines written before them read '' and 0: their units
      // count, their money does not.
      { name: 'currency', type: 'String', default: `''` },
      { name: 'discount', type: 'Int64', default: '0' },
      { name: 'revenue', type: 'Int64', default: '0' },
      { name: 'revenue_ex_tax', type: 'Int64', default: '0' },
    ],
    engine: `ReplacingMergeTree()
    PARTITION BY toYYYYMM(placed_at)
    ORDER BY (order_id, line)`,
  },
  // OrderCompleted / OrderCancelled: sales count the lines of completed, never-cancelled orders.
  [TABLES.orderOutcomes]: {
    columns: [
      { name: 'event_id', type: 'UUID' },
      { name: 'order_id', type: 'UUID' },
      { name: 'outcome', type: `Enum8('completed' = 1, 'cancelled' = 2)` },
      { name: 'occurred_at', type: 'DateTime' },
    ],
    engine: `ReplacingMergeTree()
    PARTITION BY toYYYYMM(occurred_at)
    ORDER BY (order_id, event_id)`,
  },
  // One row per OrderPlaced: the order's totals as the customer pays them (cents). Identified by
  // the order, like its lines. `total` includes tax in both price modes (added in NET, included
  // in GROSS), so the revenue without tax is total - tax either way.
  [TABLES.orderTotals]: {
    columns: [
      { name: 'event_id', type: 'UUID' },
      { name: 'order_id', type: 'UUID' },
      { name: 'placed_at', type: 'DateTime' },
      { name: 'currency', type: 'String' },
      { name: 'subtotal', type: 'Int64' },
      { name: 'discount', type: 'Int64' },
      { name: 'shipping', type: 'Int64' },
      { name: 'tax', type: 'Int64' },
      { name: 'total', type: 'Int64' },
      { name: 'discount_code', type: 'String' },
      { name: 'shipping_country', type: 'String' },
    ],
    engine: `ReplacingMergeTree()
    PARTITION BY toYYYYMM(placed_at)
    ORDER BY (order_id)`,
  },
  // OrderPacked / OrderShipped / OrderDelivered. The event id is part of the key: a parcel
  // lost and sent again ships twice under two events, and both are kept (queries take the
  // first of each milestone). Packing and shipping are not read yet; they are kept from the
  // start because a consumer that skipped them could not get them back without a replay.
  [TABLES.fulfillmentMilestones]: {
    columns: [
      { name: 'event_id', type: 'UUID' },
      { name: 'order_id', type: 'UUID' },
      { name: 'milestone', type: `Enum8('packed' = 1, 'shipped' = 2, 'delivered' = 3)` },
      { name: 'occurred_at', type: 'DateTime' },
    ],
    engine: `ReplacingMergeTree()
    PARTITION BY toYYYYMM(occurred_at)
    ORDER BY (order_id, milestone, event_id)`,
  },
  // One row per line of a ReturnReceived. A return is received once, so (return, line) is the
  // identity, as (order, line) is for order_items. The refund is the line's part, in cents.
  [TABLES.returnedLines]: {
    columns: [
      { name: 'event_id', type: 'UUID' },
      { name: 'return_id', type: 'UUID' },
      { name: 'order_id', type: 'UUID' },
      { name: 'line', type: 'UInt16' },
      { name: 'product_id', type: 'UUID' },
      { name: 'quantity', type: 'UInt32' },
      { name: 'currency', type: 'String' },
      { name: 'refund', type: 'Int64' },
      { name: 'received_at', type: 'DateTime' },
    ],
    engine: `ReplacingMergeTree()
    PARTITION BY toYYYYMM(received_at)
    ORDER BY (return_id, line)`,
  },
};

const columnSql = (c: Column) => `${c.name} ${c.type}${c.default ? ` DEFAULT ${c.default}` : ''}`;

function ddl(db: string): string[] {
  return [
    `CREATE DATABASE IF NOT EXISTS ${db}`,
    ...Object.entries(DEFINITIONS).map(
      ([table, def]) =>
        `CREATE TABLE IF NOT EXISTS ${db}.${table} (
      ${def.columns.map(columnSql).join(',\n      ')}
    ) ENGINE = ${def.engine}`,
    ),
  ];
}

async function existingColumns(store: AnalyticsStore): Promise<Set<string>> {
  const result = await store.client.query({
    query: `SELECT table, name FROM system.columns WHERE database = '${store.database}'`,
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ table: string; name: string }>();
  return new Set(rows.map((r) => `${r.table}.${r.name}`));
}

/**
 * Adds the columns a table made by an older version lacks (18.16 has no ADD COLUMN IF NOT
 * EXISTS). Replicas starting together may race: a column another one added meanwhile is fine.
 * Returns the columns it added, as `table.column`.
 */
export async function addMissingColumns(store: AnalyticsStore): Promise<string[]> {
  const present = await existingColumns(store);
  const added: string[] = [];
  for (const [table, def] of Object.entries(DEFINITIONS))
    for (const column of def.columns) {
      const key = `${table}.${column.name}`;
      if (present.has(key)) continue;
      try {
        await store.client.command({
          query: `ALTER TABLE ${store.database}.${table} ADD COLUMN ${columnSql(column)}`,
        });
        added.push(key);
      } catch (error) {
        if (!(await existingColumns(store)).has(key)) throw error;
      }
    }
  return added;
}

/** Creates the (empty) database when missing: the local stack does it for the default one. */
export async function ensureAnalyticsDatabase(store: AnalyticsStore): Promise<void> {
  await store.client.command({ query: `CREATE DATABASE IF NOT EXISTS ${store.database}` });
}

/**
 * Creates the database and tables when missing and adds the columns of newer versions; safe to
 * run on every start, by every replica.
 */
export async function applyAnalyticsSchema(store: AnalyticsStore): Promise<void> {
  for (const query of ddl(store.database)) await store.client.command({ query });
  await addMissingColumns(store);
}

/** Drops the whole database: tests and benchmarks only. */
export async function dropAnalyticsDatabase(store: AnalyticsStore): Promise<void> {
  await store.client.command({ query: `DROP DATABASE IF EXISTS ${store.database}` });
}
