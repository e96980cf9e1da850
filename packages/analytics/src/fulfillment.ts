import type { AnalyticsStore } from './client.ts';
import { DEFAULT_DEDUP, type Dedup } from './queries.ts';
import { TABLES } from './schema.ts';
import { soldOrderConditions } from './sold-orders.ts';
import { dateTime, wholeNumber } from './sql.ts';

/** How long one day's deliveries took from payment, in seconds. */
export interface DeliveryTimeDay {
  /** The day of delivery, YYYY-MM-DD (UTC). */
  day: string;
  /** Orders delivered that day, each once. */
  delivered: number;
  p50Seconds: number;
  p90Seconds: number;
}

/**
 * The `percent` percentile of `waits`, a sorted, non-empty array, by linear interpolation
 * between the closest ranks (PostgreSQL's percentile_cont, numpy's default): rank
 * percent/100 x (n - 1) counted from 0, a fractional rank lying between its two neighbours.
 * The rank is kept in whole hundredths so that only the last division rounds: the median of
 * 100 and 201 is 150.5 exactly, not 150.49999.
 */
function percentileSql(waits: string, percent: number): string {
  const rank = `(${wholeNumber(percent, 0, 100)} * (length(${waits}) - 1))`;
  const below = `${waits}[intDiv(${rank}, 100) + 1]`;
  const above = `${waits}[intDiv(${rank} + 99, 100) + 1]`;
  return `toFloat64(${below} + (${above} - ${below}) * toInt64(${rank} % 100) / 100)`;
}

/**
 * Time from payment to delivery per UTC day of delivery, for the orders first delivered on or
 * after `since`, days in order; days without deliveries are not listed.
 *
 * Payment is the order's OrderCompleted (the saga completes an order once it is paid), delivery
 * its first OrderDelivered. Both are the earliest time of their kind per order, and an earliest
 * time does not change with copies, so duplicated events need neither FINAL nor distinct counts
 * here. An order delivered without a known payment (completed before its events reached
 * ClickHouse) is left out: there is nothing to measure from.
 */
export async function deliveryTimes(
  store: AnalyticsStore,
  since: Date,
): Promise<DeliveryTimeDay[]> {
  const milestones = `${store.database}.${TABLES.fulfillmentMilestones}`;
  const outcomes = `${store.database}.${TABLES.orderOutcomes}`;
  const from = dateTime(since);
  const deliveredOrders = `SELECT order_id FROM ${milestones}
    WHERE milestone = 'delivered' AND occurred_at >= ${from}`;
  // The saga and the carrier stamp their events with their own clocks: a delivery cannot
  // precede its payment, so a negative wait is skew and counts as none.
  const result = await rows<{ day: string; delivered: string; p50: number; p90: number }>(
    store,
    `SELECT day, toUInt64(length(waits)) AS delivered,
       ${percentileSql('waits', 50)} AS p50, ${percentileSql('waits', 90)} AS p90
     FROM (
       SELECT toString(toDate(delivered_at)) AS day,
         arraySort(groupArray(greatest(toInt64(delivered_at) - toInt64(paid_at), toInt64(0)))) AS waits
       FROM (
         SELECT order_id, min(occurred_at) AS delivered_at FROM ${milestones}
         WHERE milestone = 'delivered' AND order_id IN (${deliveredOrders})
         GROUP BY order_id HAVING delivered_at >= ${from}
       ) ANY INNER JOIN (
         SELECT order_id, min(occurred_at) AS paid_at FROM ${outcomes}
         WHERE outcome = 'completed' AND order_id IN (${deliveredOrders})
         GROUP BY order_id
       ) USING order_id
       GROUP BY day
     ) ORDER BY day`,
  );
  return result.map((r) => ({
    day: r.day,
    delivered: Number(r.delivered),
    p50Seconds: r.p50,
    p90Seconds: r.p90,
  }));
}

/** A product's returns against its sales. */
export interface ProductReturnRate {
  productId: string;
  unitsSold: number;
  /** Units of those sales sent back and received. */
  unitsReturned: number;
  /** unitsReturned / unitsSold. */
  rate: number;
}

/**
 * Return rates of the products sold in a window, highest first (then most units sold, then by
 * id), at most `limit`; products without a sale in the window are not listed.
 *
 * A cohort: the units sold are the lines of the orders completed in the window and never
 * cancelled (the same as `sales` in productCounts), the units returned are the received
 * returns of those same orders, whenever they came back. So a rate never mixes this month's
 * returns with last month's sales, and it can only grow as returns of the window's orders
 * arrive (a short window of recent orders reads low until their returns are in).
 */
export async function returnRates(
  store: AnalyticsStore,
  options: { since: Date; limit: number; dedup?: Dedup },
): Promise<ProductReturnRate[]> {
  const items = `${store.database}.${TABLES.orderItems}`;
  const returned = `${store.database}.${TABLES.returnedLines}`;
  const sold = soldOrderConditions(store, options.since).join(' AND ');
  const limit = wholeNumber(options.limit, 1, 10_000);
  // One row per order line and per returned line, whatever copies of it the parts hold;
  // UNION ALL wants the same column types on both sides.
  const lines =
    (options.dedup ?? DEFAULT_DEDUP) === 'final'
      ? [
          `SELECT product_id AS pid, quantity AS sold, toUInt32(0) AS back FROM ${items} FINAL WHERE ${sold}`,
          `SELECT product_id AS pid, toUInt32(0) AS sold, quantity AS back FROM ${returned} FINAL WHERE ${sold}`,
        ]
      : [
          `SELECT any(product_id) AS pid, any(quantity) AS sold, toUInt32(0) AS back
             FROM ${items} WHERE ${sold} GROUP BY order_id, line`,
          `SELECT any(product_id) AS pid, toUInt32(0) AS sold, any(quantity) AS back
             FROM ${returned} WHERE ${sold} GROUP BY return_id, line`,
        ];
  const result = await rows<{ productId: string; unitsSold: string; unitsReturned: string }>(
    store,
    `SELECT toString(pid) AS productId, toUInt64(sum(sold)) AS unitsSold,
       toUInt64(sum(back)) AS unitsReturned
     FROM (${lines.join(' UNION ALL ')})
     GROUP BY pid HAVING unitsSold > 0
     ORDER BY unitsReturned / unitsSold DESC, unitsSold DESC, productId
     LIMIT ${limit}`,
  );
  return result.map((r) => {
    const unitsSold = Number(r.unitsSold);
    const unitsReturned = Number(r.unitsReturned);
    return { productId: r.productId, unitsSold, unitsReturned, rate: unitsReturned / unitsSold };
  });
}

async function rows<T>(store: AnalyticsStore, query: string): Promise<T[]> {
  const result = await store.client.query({ query, format: 'JSONEachRow' });
  return result.json<T>();
}
