/**
 * Reading orders whole, in plain SQL, in the shapes of the order database's Prisma client.
 */
import type pg from 'pg';
import {
  Prisma,
  type FulfillmentEvent,
  type Order,
  type OrderItem,
  type Return,
  type ReturnLine,
  type WorkflowEvent,
} from '@shop/prisma/order';
import { preparedStatement } from '@shop/events';
import { isId } from '@shop/subgraph-kit';

export type OrderWithItems = Order & {
  items: OrderItem[];
  workflow: WorkflowEvent[];
  fulfillmentEvents: FulfillmentEvent[];
  returns: (Return & { lines: ReturnLine[] })[];
};
/** One fulfilment step as stored. */
export type FulfillmentEventRow = FulfillmentEvent;
/** An order line as resolvers see it: the order's currency travels with it. */
export type OrderItemWithCurrency = OrderItem & { currency: string };

type Db = Pick<pg.Pool, 'query'>;

/**
 * An order with everything it includes, in one statement: its lines, workflow, fulfilment
 * steps and returns (with their lines) come as JSON arrays of correlated subqueries. One
 * statement sees one snapshot, so a status and a workflow are always of the same moment (live
 * tracking rebuilt states that went backwards when these were separate queries), and a read is
 * one round trip: Prisma read an include with a query per relation, six for an order, each
 * through its query interpreter (the order service's largest CPU cost when cancels and live
 * tracking were busy). Numerics travel as text (no float on the way), timestamps as ISO text.
 */
const ORDER_SELECT = `
SELECT o.id::text AS id, o.user_id::text AS user_id, o.idempotency_key, o.status::text AS status,
       o.cancel_reason, o.total_amount::text AS total_amount, o.currency,
       o.subtotal_amount::text AS subtotal_amount, o.discount_amount::text AS discount_amount,
       o.shipping_amount::text AS shipping_amount, o.tax_amount::text AS tax_amount,
       o.shipping_address, o.shipping_method, o.discount_code, o.pricing, o.cart_version,
       o.fulfillment_status::text AS fulfillment_status, o.carrier, o.tracking_number,
       o.shipped_at, o.estimated_delivery::text AS estimated_delivery, o.delivered_at,
       o.created_at, o.updated_at,
       (SELECT coalesce(json_agg(json_build_object(
                 'id', i.id, 'productId', i.product_id, 'productName', i.product_name,
                 'quantity', i.quantity, 'unitPrice', i.unit_price::text,
                 'discountAmount', i.discount_amount::text, 'taxAmount', i.tax_amount::text,
                 'taxRateBp', i.tax_rate_bp) ORDER BY i.product_name), '[]')
          FROM order_items i WHERE i.order_id = o.id) AS items,
       (SELECT coalesce(json_agg(json_build_object(
                 'id', w.id, 'seq', w.seq::text, 'step', w.step, 'event', w.event,
                 'detail', w.detail, 'at', w.at) ORDER BY w.seq), '[]')
          FROM workflow_events w WHERE w.order_id = o.id) AS workflow,
       (SELECT coalesce(json_agg(json_build_object(
                 'id', f.id, 'seq', f.seq::text, 'status', f.status, 'actor', f.actor,
                 'actorUserId', f.actor_user_id, 'detail', f.detail, 'at', f.at) ORDER BY f.seq),
               '[]')
          FROM fulfillment_events f WHERE f.order_id = o.id) AS fulfillment_events,
       (SELECT coalesce(json_agg(json_build_object(
                 'id', r.id, 'userId', r.user_id, 'status', r.status, 'reason', r.reason,
                 'rejectionReason', r.rejection_reason, 'refundAmount', r.refund_amount::text,
                 'currency', r.currency, 'wholeOrder', r.whole_order, 'createdAt', r.created_at,
                 'updatedAt', r.updated_at, 'receivedAt', r.received_at,
                 'refundedAt', r.refunded_at,
                 'lines', (SELECT coalesce(json_agg(json_build_object(
                                    'productId', l.product_id, 'productName', l.product_name,
                                    'quantity', l.quantity, 'refundAmount', l.refund_amount::text)
                                  ORDER BY l.product_name), '[]')
                             FROM return_lines l WHERE l.return_id = r.id))
                 ORDER BY r.created_at, r.id), '[]')
          FROM returns r WHERE r.order_id = o.id) AS returns
  FROM orders o`;

const ordersById = preparedStatement(
  'orders-by-id',
  `${ORDER_SELECT} WHERE o.id = ANY($1::uuid[])`,
);
const orderByKey = preparedStatement(
  'order-by-key',
  `${ORDER_SELECT} WHERE o.user_id = $1::uuid AND o.idempotency_key = $2`,
);

interface OrderRow {
  id: string;
  user_id: string;
  idempotency_key: string;
  status: string;
  cancel_reason: string | null;
  total_amount: string;
  currency: string;
  subtotal_amount: string;
  discount_amount: string;
  shipping_amount: string;
  tax_amount: string;
  shipping_address: Prisma.JsonValue | null;
  shipping_method: Prisma.JsonValue | null;
  discount_code: string | null;
  pricing: Prisma.JsonValue | null;
  cart_version: string | null;
  fulfillment_status: string;
  carrier: string | null;
  tracking_number: string | null;
  shipped_at: Date | null;
  estimated_delivery: string | null;
  delivered_at: Date | null;
  created_at: Date;
  updated_at: Date;
  items: (Omit<OrderItem, 'orderId' | 'unitPrice' | 'discountAmount' | 'taxAmount'> & {
    unitPrice: string;
    discountAmount: string;
    taxAmount: string;
  })[];
  workflow: (Omit<WorkflowEvent, 'orderId' | 'seq' | 'at'> & { seq: string; at: string })[];
  fulfillment_events: (Omit<FulfillmentEvent, 'orderId' | 'seq' | 'at'> & {
    seq: string;
    at: string;
  })[];
  returns: (Omit<
    Return,
    'orderId' | 'refundAmount' | 'createdAt' | 'updatedAt' | 'receivedAt' | 'refundedAt'
  > & {
    refundAmount: string;
    createdAt: string;
    updatedAt: string;
    receivedAt: string | null;
    refundedAt: string | null;
    lines: (Omit<ReturnLine, 'returnId' | 'refundAmount'> & { refundAmount: string })[];
  })[];
}

const decimal = (text: string) => new Prisma.Decimal(text);
const date = (text: string | null) => (text === null ? null : new Date(text));

/** A row in the shape Prisma's client gave (Decimal money, bigint seq, Date times). */
function orderOf(row: OrderRow): OrderWithItems {
  return {
    id: row.id,
    userId: row.user_id,
    idempotencyKey: row.idempotency_key,
    status: row.status as Order['status'],
    cancelReason: row.cancel_reason,
    totalAmount: decimal(row.total_amount),
    currency: row.currency,
    subtotalAmount: decimal(row.subtotal_amount),
    discountAmount: decimal(row.discount_amount),
    shippingAmount: decimal(row.shipping_amount),
    taxAmount: decimal(row.tax_amount),
    shippingAddress: row.shipping_address,
    shippingMethod: row.shipping_method,
    discountCode: row.discount_code,
    pricing: row.pricing,
    cartVersion: row.cart_version,
    fulfillmentStatus: row.fulfillment_status as Order['fulfillmentStatus'],
    carrier: row.carrier,
    trackingNumber: row.tracking_number,
    shippedAt: row.shipped_at,
    // A calendar date: Prisma gives it as midnight UTC.
    estimatedDelivery: date(row.estimated_delivery && `${row.estimated_delivery}T00:00:00Z`),
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    items: row.items.map((i) => ({
      ...i,
      orderId: row.id,
      unitPrice: decimal(i.unitPrice),
      discountAmount: decimal(i.discountAmount),
      taxAmount: decimal(i.taxAmount),
    })),
    workflow: row.workflow.map((w) => ({
      ...w,
      orderId: row.id,
      seq: BigInt(w.seq),
      at: new Date(w.at),
    })),
    fulfillmentEvents: row.fulfillment_events.map((f) => ({
      ...f,
      orderId: row.id,
      seq: BigInt(f.seq),
      at: new Date(f.at),
    })),
    returns: row.returns.map((r) => ({
      ...r,
      orderId: row.id,
      refundAmount: decimal(r.refundAmount),
      createdAt: new Date(r.createdAt),
      updatedAt: new Date(r.updatedAt),
      receivedAt: date(r.receivedAt),
      refundedAt: date(r.refundedAt),
      lines: r.lines.map((l) => ({ ...l, returnId: r.id, refundAmount: decimal(l.refundAmount) })),
    })),
  };
}

/** Orders by id, in the order of `ids` (ids without an order, or not ids at all, are left out). */
export async function findOrders(db: Db, ids: readonly string[]): Promise<OrderWithItems[]> {
  const valid = ids.filter(isId);
  if (valid.length === 0) return [];
  const { rows } = await db.query<OrderRow>(ordersById([valid]));
  const byId = new Map(rows.map((row) => [row.id, orderOf(row)]));
  return valid.flatMap((id) => byId.get(id.toLowerCase()) ?? []);
}

/** One order as of one moment (one statement), or null. */
export async function findOrder(db: Db, id: string): Promise<OrderWithItems | null> {
  return (await findOrders(db, [id]))[0] ?? null;
}

export async function findOrderByKey(
  db: Db,
  userId: string,
  idempotencyKey: string,
): Promise<OrderWithItems | null> {
  const { rows } = await db.query<OrderRow>(orderByKey([userId, idempotencyKey]));
  return rows[0] ? orderOf(rows[0]) : null;
}
