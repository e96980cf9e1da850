import type { AnalyticsStore } from './client.ts';
import { TABLES } from './schema.ts';
import { nextDay } from './days.ts';
import { soldOrderConditions } from './sold-orders.ts';
import { dateTime, uuidList, wholeNumber } from './sql.ts';

export type PopularityMetric = 'views' | 'sales';

/** How a query counts through the duplicates that unmerged parts still hold. */
export type Dedup = 'distinct' | 'final';

/**
 * What a product's sales brought in, in cents: after the product's share of each order's
 * discount, with tax and without. Sales of lines written before the checkout existed (no money
 * figures) count as units only.
 */
export interface ProductRevenue {
  currency: string;
  revenue: bigint;
  revenueExTax: bigint;
}

export interface ProductCounts {
  productId: string;
  views: number;
  sales: number;
  /**
   * Null without a sale that has money figures. A store sells in one currency; should a window
   * hold sales in two (the store's currency was changed), this is the currency of the most
   * recent sale, and the other's money is left out (its units still count in `sales`).
   */
  revenue: ProductRevenue | null;
}

interface Filter {
  since: Date;
  productIds?: readonly string[];
  limit?: number;
}

/**
 * `final` lets ClickHouse collapse duplicates at read time (FINAL); `distinct` counts distinct
 * event ids (uniqExact) and, for sales, keeps one row per order line. Both are exact before any
 * merge. bench/src/clickhouse-bench.ts times both, alternating: on 1M views (5 % re-delivered
 * copies in their own parts) and 200k orders on 18.16, popularProducts by views took about the
 * same either way (p50 114 vs 116 ms) and by sales FINAL was clearly faster (p50 140 vs 230 ms,
 * p99 287 vs 496 ms): merging a few sorted parts costs less than hashing every row.
 */
export const DEFAULT_DEDUP: Dedup = 'final';

function viewsSql(store: AnalyticsStore, f: Filter, dedup: Dedup): string {
  const table = `${store.database}.${TABLES.productViews}`;
  const where = [`occurred_at >= ${dateTime(f.since)}`];
  if (f.productIds) where.push(`product_id IN (${uuidList(f.productIds)})`);
  const count = dedup === 'final' ? 'count()' : 'uniqExact(event_id)';
  return `SELECT toString(product_id) AS productId, ${count} AS n
    FROM ${table}${dedup === 'final' ? ' FINAL' : ''}
    WHERE ${where.join(' AND ')}
    GROUP BY product_id`;
}

/**
 * Sales: the ordered quantities of orders completed inside the window and never cancelled, and
 * what they brought in, per product and currency: productId, cur, n (units), paid, paidExTax
 * (cents) and lastSale (the latest placement, epoch seconds).
 */
function salesSql(store: AnalyticsStore, f: Filter, dedup: Dedup): string {
  const items = `${store.database}.${TABLES.orderItems}`;
  const where = soldOrderConditions(store, f.since);
  if (f.productIds) where.push(`product_id IN (${uuidList(f.productIds)})`);
  // Aliases are query-wide in ClickHouse: none of them is a column's name.
  const sums = (p: string) => `toUInt64(sum(${p}quantity)) AS n,
      toInt64(sum(${p}revenue)) AS paid, toInt64(sum(${p}revenue_ex_tax)) AS paidExTax,
      toUInt32(max(${p}placed_at)) AS lastSale`;
  if (dedup === 'final')
    return `SELECT toString(product_id) AS productId, toString(currency) AS cur, ${sums('')}
      FROM ${items} FINAL WHERE ${where.join(' AND ')} GROUP BY product_id, currency`;
  // One row per order line, whatever copies of it the parts hold.
  return `SELECT toString(line_product_id) AS productId, toString(line_currency) AS cur, ${sums('line_')}
    FROM (
      SELECT any(product_id) AS line_product_id, any(quantity) AS line_quantity,
        any(currency) AS line_currency, any(revenue) AS line_revenue,
        any(revenue_ex_tax) AS line_revenue_ex_tax, any(placed_at) AS line_placed_at
      FROM ${items} WHERE ${where.join(' AND ')} GROUP BY order_id, line
    ) GROUP BY line_product_id, line_currency`;
}

async function rows<T>(store: AnalyticsStore, query: string): Promise<T[]> {
  const result = await store.client.query({ query, format: 'JSONEachRow' });
  return result.json<T>();
}

/** The products with the most views or sales in the window, most first (ties by id). */
export async function popularProducts(
  store: AnalyticsStore,
  options: { by: PopularityMetric; since: Date; limit: number; dedup?: Dedup },
): Promise<ProductCounts[]> {
  const filter = { since: options.since };
  const dedup = options.dedup ?? DEFAULT_DEDUP;
  const limit = wholeNumber(options.limit, 1, 10_000);
  // Sales come per product and currency: units are added over currencies.
  const ranked =
    options.by === 'views'
      ? `SELECT productId, toUInt64(n) AS units FROM (${viewsSql(store, filter, dedup)})`
      : `SELECT productId, toUInt64(sum(n)) AS units FROM (${salesSql(store, filter, dedup)})
          GROUP BY productId`;
  const top = await rows<{ productId: string; units: string }>(
    store,
    `${ranked} ORDER BY units DESC, productId LIMIT ${limit}`,
  );
  if (top.length === 0) return [];
  // The other metric of the same products, over the same window.
  const counts = await productCounts(
    store,
    top.map((r) => r.productId),
    options.since,
    dedup,
  );
  return top.map((r) => counts.get(r.productId) ?? emptyCounts(r.productId));
}

const emptyCounts = (productId: string): ProductCounts => ({
  productId,
  views: 0,
  sales: 0,
  revenue: null,
});

/**
 * Views, sales and sales revenue of the given products in the window, in one query (a
 * DataLoader batches a response's products into one call). Products without any are absent
 * from the map.
 */
export async function productCounts(
  store: AnalyticsStore,
  productIds: readonly string[],
  since: Date,
  dedup: Dedup = DEFAULT_DEDUP,
): Promise<Map<string, ProductCounts>> {
  const counts = new Map<string, ProductCounts>();
  if (productIds.length === 0) return counts;
  const filter = { since, productIds: [...new Set(productIds.map((id) => id.toLowerCase()))] };
  const result = await rows<{
    metric: PopularityMetric;
    productId: string;
    cur: string;
    n: string;
    paid: string;
    paidExTax: string;
    lastSale: number;
  }>(
    store,
    // UNION ALL matches columns by position and wants the same types on both sides.
    `SELECT 'views' AS metric, productId, '' AS cur, toUInt64(n) AS n, toInt64(0) AS paid,
       toInt64(0) AS paidExTax, toUInt32(0) AS lastSale FROM (${viewsSql(store, filter, dedup)})
     UNION ALL
     SELECT 'sales' AS metric, productId, cur, n, paid, paidExTax, lastSale
       FROM (${salesSql(store, filter, dedup)})`,
  );
  const lastSaleOf = new Map<string, number>();
  for (const r of result) {
    let c = counts.get(r.productId);
    if (!c) counts.set(r.productId, (c = emptyCounts(r.productId)));
    if (r.metric === 'views') {
      c.views = Number(r.n);
      continue;
    }
    c.sales += Number(r.n);
    if (r.cur === '') continue; // lines from before the checkout: units only
    const last = lastSaleOf.get(r.productId);
    if (
      last === undefined ||
      r.lastSale > last ||
      (r.lastSale === last && r.cur < c.revenue!.currency)
    ) {
      lastSaleOf.set(r.productId, r.lastSale);
      c.revenue = { currency: r.cur, revenue: BigInt(r.paid), revenueExTax: BigInt(r.paidExTax) };
    }
  }
  return counts;
}

/** One day's orders and money, in cents of `currency`. */
export interface DailyRevenue {
  /** YYYY-MM-DD, UTC. */
  day: string;
  currency: string;
  /** Orders placed that day and not cancelled (at any time since). */
  orders: number;
  /** Orders placed that day that were cancelled since; none of their money counts. */
  cancelledOrders: number;
  /** Products before discount. */
  subtotal: bigint;
  discounts: bigint;
  shipping: bigint;
  tax: bigint;
  /** What the customers pay: with tax and shipping, after discounts. */
  revenue: bigint;
  revenueExTax: bigint;
}

/**
 * Orders and money per day placed, for the days `from` to `to` (UTC midnights, both included;
 * checkDayRange makes them), one entry per day and currency, days in order. Days on which no
 * order was placed are not listed.
 *
 * Cancellations count against the day the order was PLACED, whenever they happen: a day's
 * figures are the orders placed that day that still stand, so most saga cancellations (stock
 * or payment refused within seconds) never show as revenue, and a later cancellation lowers the
 * day it belongs to. Orders still in the saga (not yet paid) count as placed.
 */
export async function revenueByDay(
  store: AnalyticsStore,
  range: { from: Date; to: Date },
  dedup: Dedup = DEFAULT_DEDUP,
): Promise<DailyRevenue[]> {
  const totals = `${store.database}.${TABLES.orderTotals}`;
  const outcomes = `${store.database}.${TABLES.orderOutcomes}`;
  const placed = `placed_at >= ${dateTime(range.from)} AND placed_at < ${dateTime(nextDay(range.to))}`;
  // A cancellation comes after its placement; a day's slack for clocks that disagree.
  const cancelledSince = dateTime(new Date(range.from.getTime() - 86_400_000));
  const fields = ['placed_at', 'currency', 'subtotal', 'discount', 'shipping', 'tax', 'total'];
  // One row per order (o_*), however many copies of its event the parts hold.
  const perOrder =
    dedup === 'final'
      ? `SELECT order_id, ${fields.map((f) => `${f} AS o_${f}`).join(', ')}
          FROM ${totals} FINAL WHERE ${placed}`
      : `SELECT order_id, ${fields.map((f) => `any(${f}) AS o_${f}`).join(', ')}
          FROM ${totals} WHERE ${placed} GROUP BY order_id`;
  const standing = (f: string) => `toInt64(sumIf(o_${f}, cancelled = 0))`;
  const result = await rows<{
    day: string;
    cur: string;
    orders: string;
    cancelledOrders: string;
    subtotalSum: string;
    discountSum: string;
    shippingSum: string;
    taxSum: string;
    totalSum: string;
  }>(
    store,
    `SELECT toString(toDate(o_placed_at)) AS day, toString(o_currency) AS cur,
       toUInt64(countIf(cancelled = 0)) AS orders, toUInt64(countIf(cancelled = 1)) AS cancelledOrders,
       ${standing('subtotal')} AS subtotalSum, ${standing('discount')} AS discountSum,
       ${standing('shipping')} AS shippingSum, ${standing('tax')} AS taxSum,
       ${standing('total')} AS totalSum
     FROM (
       SELECT *, order_id IN (
           SELECT order_id FROM ${outcomes}
            WHERE outcome = 'cancelled' AND occurred_at >= ${cancelledSince}
         ) AS cancelled
       FROM (${perOrder})
     )
     GROUP BY day, cur ORDER BY day, cur`,
  );
  return result.map((r) => {
    const tax = BigInt(r.taxSum);
    const total = BigInt(r.totalSum);
    return {
      day: r.day,
      currency: r.cur,
      orders: Number(r.orders),
      cancelledOrders: Number(r.cancelledOrders),
      subtotal: BigInt(r.subtotalSum),
      discounts: BigInt(r.discountSum),
      shipping: BigInt(r.shippingSum),
      tax,
      revenue: total,
      // Tax is part of the total in both price modes (added in NET, included in GROSS).
      revenueExTax: total - tax,
    };
  });
}
