import { TABLES } from './schema.ts';

/** A product page view (ProductViewed). */
export interface ProductViewRow {
  table: typeof TABLES.productViews;
  eventId: string;
  productId: string;
  userId: string | null;
  occurredAt: Date;
}

/** One line of a placed order (OrderPlaced). */
export interface OrderItemRow {
  table: typeof TABLES.orderItems;
  eventId: string;
  orderId: string;
  line: number;
  productId: string;
  quantity: number;
  placedAt: Date;
}

/** How an order ended (OrderCompleted, OrderCancelled). */
export interface OrderOutcomeRow {
  table: typeof TABLES.orderOutcomes;
  eventId: string;
  orderId: string;
  outcome: 'completed' | 'cancelled';
  occurredAt: Date;
}

export type AnalyticsRow = ProductViewRow | OrderItemRow | OrderOutcomeRow;

/** ClickHouse DateTime text in UTC (the server's time zone), whole seconds. */
export function toClickHouseDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** The JSONEachRow shape of a row in its table. */
export function toTableRecord(row: AnalyticsRow): Record<string, unknown> {
  switch (row.table) {
    case TABLES.productViews:
      return {
        event_id: row.eventId,
        product_id: row.productId,
        user_id: row.userId,
        occurred_at: toClickHouseDateTime(row.occurredAt),
      };
    case TABLES.orderItems:
      return {
        event_id: row.eventId,
        order_id: row.orderId,
        line: row.line,
        product_id: row.productId,
        quantity: row.quantity,
        placed_at: toClickHouseDateTime(row.placedAt),
      };
    case TABLES.orderOutcomes:
      return {
        event_id: row.eventId,
        order_id: row.orderId,
        outcome: row.outcome,
        occurred_at: toClickHouseDateTime(row.occurredAt),
      };
  }
}
