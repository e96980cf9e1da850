import type { AnalyticsStore } from './client.ts';
import { TABLES } from './schema.ts';
import { dateTime } from './sql.ts';

/**
 * WHERE conditions on `order_id` that keep the orders whose lines count as sold in a window:
 * completed inside it and never cancelled. Sales (queries.ts) and return rates (fulfillment.ts)
 * both use it, so a product's `unitsSold` is always its `sales` over the same window.
 */
export function soldOrderConditions(store: AnalyticsStore, since: Date): string[] {
  const outcomes = `${store.database}.${TABLES.orderOutcomes}`;
  return [
    `order_id IN (SELECT order_id FROM ${outcomes} WHERE outcome = 'completed' AND occurred_at >= ${dateTime(since)})`,
    `order_id NOT IN (SELECT order_id FROM ${outcomes} WHERE outcome = 'cancelled')`,
  ];
}
