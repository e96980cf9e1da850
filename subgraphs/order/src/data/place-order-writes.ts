/**
 * placeOrder's writes in plain SQL: the busiest write of the order service, once per order.
 * The order, its lines, its first workflow entry, its OrderPlaced outbox row and the relay's
 * wake-up go in one statement: one round trip, atomic on its own (a statement is its own
 * transaction), and no ORM between the service and PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { Prisma } from '@shop/prisma/order';
import type pg from 'pg';
import {
  OUTBOX_CHANNEL,
  OUTBOX_COLUMNS,
  OrderPlaced,
  createEvent,
  outboxRowValues,
  outboxValuesSql,
} from '@shop/events';
import type { PriceSnapshot } from '../domain/place-order.ts';
import type { OrderWithItems } from './orders.ts';

export class DuplicateIdempotencyKeyError extends Error {}

const UNIQUE_VIOLATION = '23505';

const INSERT_ORDER = `
WITH new_order AS (
  INSERT INTO orders (id, user_id, idempotency_key, status, total_amount, currency, updated_at)
  VALUES ($1::uuid, $2::uuid, $3, 'PENDING', $4::numeric, $5, now())
  RETURNING created_at, updated_at
), new_lines AS (
  INSERT INTO order_items (id, order_id, product_id, product_name, quantity, unit_price)
  SELECT l.id, $1::uuid, l.product_id, l.name, l.quantity, l.unit_price
    FROM unnest($6::uuid[], $7::uuid[], $8::text[], $9::int[], $10::numeric[])
         AS l(id, product_id, name, quantity, unit_price)
), placed_step AS (
  INSERT INTO workflow_events (id, order_id, step, event, detail)
  VALUES ($11::uuid, $1::uuid, 'ORDER', 'PLACED', $12)
  RETURNING seq, at
), placed_event AS (
  INSERT INTO outbox_events (${OUTBOX_COLUMNS}) VALUES (${outboxValuesSql(13)})
), woken AS (
  SELECT pg_notify('${OUTBOX_CHANNEL}', '')
)
SELECT o.created_at, o.updated_at, s.seq::text AS seq, s.at
  FROM new_order o, placed_step s, woken`;

/**
 * Inserts a PENDING order with its lines, its first workflow event and OrderPlaced (published
 * if and only if the order exists). The unique (user_id, idempotency_key) index decides between
 * concurrent placements with the same key: exactly one insert commits, the others get
 * DuplicateIdempotencyKeyError. Returns the order as written, without reading it back.
 */
export async function insertOrder(
  db: Pick<pg.Pool, 'query'>,
  userId: string,
  idempotencyKey: string,
  snapshot: PriceSnapshot,
): Promise<OrderWithItems> {
  const id = randomUUID();
  const lines = snapshot.lines.map((line) => ({ ...line, id: randomUUID() }));
  const stepId = randomUUID();
  const detail = `${lines.length} line(s), total ${snapshot.total} ${snapshot.currency}`;
  const placed = createEvent(OrderPlaced, id, {
    orderId: id,
    userId,
    items: lines.map((line) => ({
      productId: line.productId,
      quantity: line.quantity,
      unitPrice: { amount: line.unitPrice, currency: snapshot.currency },
    })),
    total: { amount: snapshot.total, currency: snapshot.currency },
  });
  let written: { created_at: Date; updated_at: Date; seq: string; at: Date };
  try {
    const { rows } = await db.query<typeof written>(INSERT_ORDER, [
      id,
      userId,
      idempotencyKey,
      snapshot.total,
      snapshot.currency,
      lines.map((l) => l.id),
      lines.map((l) => l.productId),
      lines.map((l) => l.productName),
      lines.map((l) => l.quantity),
      lines.map((l) => l.unitPrice),
      stepId,
      detail,
      ...outboxRowValues(placed),
    ]);
    written = rows[0]!;
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION)
      throw new DuplicateIdempotencyKeyError(idempotencyKey, { cause: error });
    throw error;
  }
  return {
    id,
    userId,
    idempotencyKey,
    status: 'PENDING',
    cancelReason: null,
    totalAmount: new Prisma.Decimal(snapshot.total),
    currency: snapshot.currency,
    subtotalAmount: new Prisma.Decimal(snapshot.total),
    discountAmount: new Prisma.Decimal(0),
    shippingAmount: new Prisma.Decimal(0),
    taxAmount: new Prisma.Decimal(0),
    shippingAddress: null,
    shippingMethod: null,
    discountCode: null,
    pricing: null,
    createdAt: written.created_at,
    updatedAt: written.updated_at,
    items: lines
      .map((l) => ({
        id: l.id,
        orderId: id,
        productId: l.productId,
        productName: l.productName,
        quantity: l.quantity,
        unitPrice: new Prisma.Decimal(l.unitPrice),
        discountAmount: new Prisma.Decimal(0),
        taxAmount: new Prisma.Decimal(0),
        taxRateBp: 0,
      }))
      // As findOrder lists them.
      .sort((a, b) => (a.productName < b.productName ? -1 : a.productName > b.productName ? 1 : 0)),
    workflow: [
      {
        id: stepId,
        orderId: id,
        seq: BigInt(written.seq),
        step: 'ORDER',
        event: 'PLACED',
        detail,
        at: written.at,
      },
    ],
  };
}

/** The id of the user's order placed with this key, if any: one indexed read, no ORM. */
export async function orderIdByKey(
  db: Pick<pg.Pool, 'query'>,
  userId: string,
  idempotencyKey: string,
): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id::text AS id FROM orders WHERE user_id = $1::uuid AND idempotency_key = $2`,
    [userId, idempotencyKey],
  );
  return rows[0]?.id;
}
