/**
 * placeOrder's writes in plain SQL: the busiest write of the order service, once per order.
 * The order with its checkout snapshot, its lines, its discount use, its first workflow entry,
 * its OrderPlaced outbox row and the relay's wake-up go in one statement: one round trip, atomic on its own (a statement is its own
 * transaction), and no ORM between the service and PostgreSQL.
 */
import { randomUUID } from 'node:crypto';
import { Prisma } from '@shop/prisma/order';
import type pg from 'pg';
import { DomainError } from '@shop/subgraph-kit';
import {
  OUTBOX_CHANNEL,
  OUTBOX_COLUMNS,
  OrderPlaced,
  createEvent,
  outboxRowValues,
  outboxValuesSql,
  preparedStatement,
} from '@shop/events';
import {
  fromMinorUnits,
  type ApplicableDiscount,
  type CheckoutTotals,
  type ShippingQuote,
} from '@shop/pricing';
import type { PriceSnapshot } from '../domain/place-order.ts';
import type { OrderWithItems } from './orders.ts';

export class DuplicateIdempotencyKeyError extends Error {}

const UNIQUE_VIOLATION = '23505';
/** The unique (user_id, cart_version) index: this cart content was ordered already. */
const CART_ORDERED = 'orders_user_id_cart_version_key';

/** After the outbox row's parameters (outboxValuesSql(25) takes the ones after 24). */
const CART_VERSION_PARAM = 25 + OUTBOX_COLUMNS.split(',').length;

const INSERT_ORDER = `
WITH new_order AS (
  INSERT INTO orders (id, user_id, idempotency_key, status, total_amount, currency, updated_at,
    subtotal_amount, discount_amount, shipping_amount, tax_amount, shipping_address,
    shipping_method, discount_code, pricing, cart_version)
  VALUES ($1::uuid, $2::uuid, $3, 'PENDING', $4::numeric, $5, now(), $6::numeric, $7::numeric,
    $8::numeric, $9::numeric, $10::jsonb, $11::jsonb, $12, $13::jsonb, $${CART_VERSION_PARAM})
  RETURNING created_at, updated_at
), new_lines AS (
  INSERT INTO order_items (id, order_id, product_id, product_name, quantity, unit_price,
    discount_amount, tax_amount, tax_rate_bp)
  SELECT l.id, $1::uuid, l.product_id, l.name, l.quantity, l.unit_price, l.discount, l.tax, l.rate
    FROM unnest($14::uuid[], $15::uuid[], $16::text[], $17::int[], $18::numeric[], $19::numeric[],
                $20::numeric[], $21::int[])
         AS l(id, product_id, name, quantity, unit_price, discount, tax, rate)
), use_taken AS (
  -- The discount's use, counted with the order. discount_codes_used_check refuses a use past the
  -- limit, so even a caller that skipped the row lock could not oversell the last one.
  INSERT INTO discount_uses (order_id, code_id, user_id)
  SELECT $1::uuid, $22::uuid, $2::uuid WHERE $22::uuid IS NOT NULL
), code_used AS (
  UPDATE discount_codes SET used = used + 1 WHERE id = $22::uuid
), placed_step AS (
  INSERT INTO workflow_events (id, order_id, step, event, detail)
  VALUES ($23::uuid, $1::uuid, 'ORDER', 'PLACED', $24)
  RETURNING seq, at
), placed_event AS (
  INSERT INTO outbox_events (${OUTBOX_COLUMNS}) VALUES (${outboxValuesSql(25)})
), woken AS (
  SELECT pg_notify('${OUTBOX_CHANNEL}', '')
)
SELECT o.created_at, o.updated_at, s.seq::text AS seq, s.at
  FROM new_order o, placed_step s, woken`;
const insertOrderStatement = preparedStatement('insert-order', INSERT_ORDER);

/** Everything placeOrder decided, as the order keeps it. */
export interface Placement {
  /** Names and unit prices as the catalog had them. */
  snapshot: PriceSnapshot;
  totals: CheckoutTotals;
  /** The address as the cart held it (the order's copy from now on). */
  shippingAddress: Record<string, unknown>;
  shipping: ShippingQuote;
  discount: ApplicableDiscount | null;
  /** The code row whose use this order takes (its row is locked by the caller). */
  discountCodeId: string | null;
  /** The version of the cart's lines ordered: a version is ordered once. */
  cartVersion: string;
}

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
  placement: Placement,
): Promise<OrderWithItems> {
  const { snapshot, totals, shipping } = placement;
  const currency = totals.currency;
  const decimal = (minor: number) => fromMinorUnits(minor, currency).amount;
  const priced = new Map(totals.lines.map((line) => [line.productId, line]));
  const id = randomUUID();
  const lines = snapshot.lines.map((line) => {
    const p = priced.get(line.productId);
    if (!p) throw new Error(`line ${line.productId} was not priced`);
    return {
      ...line,
      id: randomUUID(),
      discount: decimal(p.discount),
      tax: decimal(p.tax),
      taxRateBp: p.taxRateBp ?? 0,
    };
  });
  const total = decimal(totals.total);
  const stepId = randomUUID();
  const detail = `${lines.length} line(s), total ${total} ${currency}`;
  const method = {
    id: shipping.methodId,
    name: shipping.name,
    carrier: shipping.carrier,
    price: decimal(shipping.price),
    listPrice: decimal(shipping.listPrice),
    free: shipping.free,
    estimatedDays: shipping.estimatedDays,
    weightGrams: shipping.weightGrams,
  };
  const country = String(placement.shippingAddress.country);
  const placed = createEvent(OrderPlaced, id, {
    orderId: id,
    userId,
    items: lines.map((line) => ({
      productId: line.productId,
      quantity: line.quantity,
      unitPrice: { amount: line.unitPrice, currency },
      discount: { amount: line.discount, currency },
      tax: { amount: line.tax, currency },
    })),
    total: { amount: total, currency },
    totals: {
      subtotal: { amount: decimal(totals.subtotal), currency },
      discount: { amount: decimal(totals.discount), currency },
      shipping: { amount: decimal(totals.shipping), currency },
      tax: { amount: decimal(totals.tax), currency },
      priceMode: totals.priceMode,
    },
    discountCode: placement.discount?.code ?? null,
    shippingCountry: country,
  });
  let written: { created_at: Date; updated_at: Date; seq: string; at: Date };
  try {
    const { rows } = await db.query<typeof written>(
      insertOrderStatement([
        id,
        userId,
        idempotencyKey,
        total,
        currency,
        decimal(totals.subtotal),
        decimal(totals.discount),
        decimal(totals.shipping),
        decimal(totals.tax),
        JSON.stringify(placement.shippingAddress),
        JSON.stringify(method),
        placement.discount?.code ?? null,
        // What it was priced with, so the figures can be explained later whatever changes.
        JSON.stringify({ totals, discount: placement.discount, shipping }),
        lines.map((l) => l.id),
        lines.map((l) => l.productId),
        lines.map((l) => l.productName),
        lines.map((l) => l.quantity),
        lines.map((l) => l.unitPrice),
        lines.map((l) => l.discount),
        lines.map((l) => l.tax),
        lines.map((l) => l.taxRateBp),
        placement.discountCodeId,
        stepId,
        detail,
        ...outboxRowValues(placed),
        placement.cartVersion,
      ]),
    );
    written = rows[0]!;
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === UNIQUE_VIOLATION && constraint === CART_ORDERED)
      throw new DomainError(
        'CONFLICT',
        'This cart has just been ordered; it is being emptied. Check your orders before ordering again.',
      );
    if (code === UNIQUE_VIOLATION)
      throw new DuplicateIdempotencyKeyError(idempotencyKey, { cause: error });
    throw error;
  }
  return {
    id,
    userId,
    idempotencyKey,
    status: 'PENDING',
    cancelReason: null,
    totalAmount: new Prisma.Decimal(total),
    currency,
    subtotalAmount: new Prisma.Decimal(decimal(totals.subtotal)),
    discountAmount: new Prisma.Decimal(decimal(totals.discount)),
    shippingAmount: new Prisma.Decimal(decimal(totals.shipping)),
    taxAmount: new Prisma.Decimal(decimal(totals.tax)),
    shippingAddress: placement.shippingAddress as Prisma.JsonObject,
    shippingMethod: method as unknown as Prisma.JsonObject,
    discountCode: placement.discount?.code ?? null,
    pricing: null,
    cartVersion: placement.cartVersion,
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
        discountAmount: new Prisma.Decimal(l.discount),
        taxAmount: new Prisma.Decimal(l.tax),
        taxRateBp: l.taxRateBp,
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
    fulfillmentStatus: 'UNFULFILLED',
    carrier: null,
    trackingNumber: null,
    shippedAt: null,
    estimatedDelivery: null,
    deliveredAt: null,
    fulfillmentEvents: [],
    returns: [],
  };
}
