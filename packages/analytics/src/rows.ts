import { TABLES } from './schema.ts';

/** A product page view (ProductViewed). */
export interface ProductViewRow {
  table: typeof TABLES.productViews;
  eventId: string;
  productId: string;
  userId: string | null;
  occurredAt: Date;
}

/** One line of a placed order (OrderPlaced). Money in cents of `currency`. */
export interface OrderItemRow {
  table: typeof TABLES.orderItems;
  eventId: string;
  orderId: string;
  line: number;
  productId: string;
  quantity: number;
  placedAt: Date;
  currency: string;
  /** The line's share of the order's discount. */
  discount: number;
  /** What the line brought in: unit price x quantity - discount, tax included. */
  revenue: number;
  /** The same without tax. */
  revenueExTax: number;
}

/** A placed order's totals (OrderPlaced), in cents of `currency`. */
export interface OrderTotalsRow {
  table: typeof TABLES.orderTotals;
  eventId: string;
  orderId: string;
  placedAt: Date;
  currency: string;
  subtotal: number;
  discount: number;
  shipping: number;
  /** Included in `total` (added in a NET store, part of the prices in a GROSS one). */
  tax: number;
  /** What the customer pays. */
  total: number;
  /** '' without a code. */
  discountCode: string;
  /** '' when the event does not say (orders placed before the checkout existed). */
  shippingCountry: string;
}

/** How an order ended (OrderCompleted, OrderCancelled). */
export interface OrderOutcomeRow {
  table: typeof TABLES.orderOutcomes;
  eventId: string;
  orderId: string;
  outcome: 'completed' | 'cancelled';
  occurredAt: Date;
}

/** A step of an order's parcel (OrderPacked, OrderShipped, OrderDelivered). */
export interface FulfillmentMilestoneRow {
  table: typeof TABLES.fulfillmentMilestones;
  eventId: string;
  orderId: string;
  milestone: 'packed' | 'shipped' | 'delivered';
  occurredAt: Date;
}

/** One line of a received return (ReturnReceived). Money in cents of `currency`. */
export interface ReturnedLineRow {
  table: typeof TABLES.returnedLines;
  eventId: string;
  returnId: string;
  orderId: string;
  line: number;
  productId: string;
  quantity: number;
  currency: string;
  /** This line's part of the return's refund. */
  refund: number;
  receivedAt: Date;
}

export type AnalyticsRow =
  | ProductViewRow
  | OrderItemRow
  | OrderOutcomeRow
  | OrderTotalsRow
  | FulfillmentMilestoneRow
  | ReturnedLineRow;

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
        currency: row.currency,
        discount: row.discount,
        revenue: row.revenue,
        revenue_ex_tax: row.revenueExTax,
      };
    case TABLES.orderOutcomes:
      return {
        event_id: row.eventId,
        order_id: row.orderId,
        outcome: row.outcome,
        occurred_at: toClickHouseDateTime(row.occurredAt),
      };
    case TABLES.orderTotals:
      return {
        event_id: row.eventId,
        order_id: row.orderId,
        placed_at: toClickHouseDateTime(row.placedAt),
        currency: row.currency,
        subtotal: row.subtotal,
        discount: row.discount,
        shipping: row.shipping,
        tax: row.tax,
        total: row.total,
        discount_code: row.discountCode,
        shipping_country: row.shippingCountry,
      };
    case TABLES.fulfillmentMilestones:
      return {
        event_id: row.eventId,
        order_id: row.orderId,
        milestone: row.milestone,
        occurred_at: toClickHouseDateTime(row.occurredAt),
      };
    case TABLES.returnedLines:
      return {
        event_id: row.eventId,
        return_id: row.returnId,
        order_id: row.orderId,
        line: row.line,
        product_id: row.productId,
        quantity: row.quantity,
        currency: row.currency,
        refund: row.refund,
        received_at: toClickHouseDateTime(row.receivedAt),
      };
  }
}
