/**
 * Order management's list (Query.orders) in plain SQL: the filters become one WHERE clause, the
 * page is keyset-paged newest first on (created_at, id), and the page's orders are then loaded
 * whole (lines, workflow, fulfilment) by id. Indexes: orders (created_at, id) for the whole
 * list, orders (user_id, created_at, id) for one customer, order_items (product_id) for a
 * seller's products (migration 0013).
 */
import type pg from 'pg';
import type { OrderFilter } from '../domain/order-filter.ts';
import { findOrders, type OrderWithItems } from './orders.ts';

type Db = Pick<pg.Pool, 'query'>;

export interface OrderListQuery {
  filter: Pick<OrderFilter, 'status' | 'fulfillmentStatus' | 'createdFrom' | 'createdTo'>;
  /** Only this customer's orders (the filter's e-mail address, resolved by the user service). */
  userId: string | null;
  /** Only orders with a line of one of these products (a seller's list); null: any order. */
  productIds: readonly string[] | null;
  limit: number;
  after: { createdAt: Date; id: string } | null;
}

/** `limit + 1` orders newest first (the extra one says a next page exists) and the total. */
export async function listOrderPage(
  db: Db,
  query: OrderListQuery,
): Promise<{ rows: OrderWithItems[]; totalCount: number }> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  const { filter } = query;
  if (filter.status) where.push(`o.status = ${param(filter.status)}::"OrderStatus"`);
  if (filter.fulfillmentStatus)
    where.push(`o.fulfillment_status = ${param(filter.fulfillmentStatus)}::"FulfillmentStatus"`);
  if (filter.createdFrom) where.push(`o.created_at >= ${param(filter.createdFrom)}::timestamptz`);
  if (filter.createdTo) where.push(`o.created_at < ${param(filter.createdTo)}::timestamptz`);
  if (query.userId) where.push(`o.user_id = ${param(query.userId)}::uuid`);
  // A semi-join (not a join): an order with several of the seller's lines is listed once.
  if (query.productIds)
    where.push(`o.id IN (SELECT i.order_id FROM order_items i
                          WHERE i.product_id = ANY(${param(query.productIds)}::uuid[]))`);
  const countSql = `SELECT count(*)::int AS n FROM orders o
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`;
  const countParams = [...params];
  if (query.after)
    where.push(
      `(o.created_at, o.id) < (${param(query.after.createdAt)}::timestamptz, ${param(query.after.id)}::uuid)`,
    );
  const pageSql = `SELECT o.id::text AS id FROM orders o
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY o.created_at DESC, o.id DESC LIMIT ${param(query.limit + 1)}`;
  const [page, count] = await Promise.all([
    db.query<{ id: string }>(pageSql, params),
    db.query<{ n: number }>(countSql, countParams),
  ]);
  const rows = await findOrders(
    db,
    page.rows.map((row) => row.id),
  );
  return { rows, totalCount: count.rows[0]!.n };
}
