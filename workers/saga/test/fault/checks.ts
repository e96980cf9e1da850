/**
 * What must hold after a fault run, read straight from the databases (order, catalog,
 * notifications) and the private SMTP server's inbox. Each check returns violations as
 * sentences naming the order or product, so a failing run says what broke.
 */
import type pg from 'pg';
import { toCents } from '@shop/subgraph-kit';
import { emailOfEvent } from '../../../notifications/src/emails.ts';
import type { InboxMessage } from './mail.ts';
import type { Customer, SeededProduct } from './store.ts';

export interface Figures {
  orders: number;
  completed: number;
  cancelledByReason: Record<string, number>;
  notTerminal: number;
  payments: Record<string, number>;
  outbox: { order: Record<string, number>; catalog: Record<string, number> };
  unitsSold: number;
  unitsLeft: number;
  checkout: {
    withTax: number;
    withShipping: number;
    withCode: number;
    codes: { code: string; used: number; placed: number; cancelled: number }[];
  };
  fulfilment: {
    /** COMPLETED orders whose parcel arrived. */
    delivered: number;
    /** Orders with at least one parcel sent again, and the parcels sent again. */
    reshippedOrders: number;
    reshipments: number;
    lostParcels: number;
    /** COMPLETED orders whose last parcel was lost, refunded in full. */
    lostAndRefunded: number;
    /** Orders cancelled after their payment went through, refunded in full. */
    refundedAfterCancel: number;
  };
  emails: {
    /** Events of the order outbox that send an email (the worker's own mapping). */
    expected: number;
    /** Rows of the notifications database by status, sent ones by kind. */
    byStatus: Record<string, number>;
    sentByKind: Record<string, number>;
    /** Whole messages in the SMTP server's inbox, and ones cut off by its kill. */
    inbox: number;
    cutOff: number;
    /** A second copy sent after a crash between the server's 250 and the `sent` mark. */
    crashWindowDuplicates: number;
    /** Sent emails that took more than one attempt, and the most attempts one took. */
    retried: number;
    maxAttempts: number;
  };
}

/** What the fulfilment and email checks need beyond the order and catalog databases. */
export interface FulfilmentInputs {
  notificationsDb: pg.Pool;
  /** The carrier's consumer name (its inbox rows). */
  carrierConsumer: string;
  /** CARRIER_MAX_SHIPMENTS: parcels sent at most per order. */
  maxShipments: number;
  customers: readonly Customer[];
  /** The private SMTP server's inbox (mail.ts). */
  inbox: readonly InboxMessage[];
  /**
   * When the notifications worker was SIGKILLed or the SMTP server stopped (ms since the
   * epoch): a message accepted just before one of them may be sent again, by design.
   */
  disruptions: readonly number[];
}

/**
 * How long after a message reached the server a crash still counts as "between the server's
 * 250 and the `sent` mark" (one UPDATE, but the machine is shared and slow under the run).
 */
const CRASH_WINDOW_MS = 2000;

interface OutboxRow {
  id: string;
  aggregate_id: string;
  type: string;
  status: string;
}

interface OrderOutboxRow extends OutboxRow {
  amount: string | null;
  /** PaymentRefunded of a return (none in this run: every refund is of the whole order). */
  return_id: string | null;
  /** ParcelLost: RESHIP or REFUND. */
  resolution: string | null;
  created_ms: number;
}

export interface Verdict {
  violations: string[];
  figures: Figures;
}

const count = <T>(items: readonly T[], key: (t: T) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
};

/** The cancel reason without the order-specific detail (product names, counts). */
export function reasonKind(reason: string | null): string {
  if (!reason) return '(no reason)';
  if (reason.startsWith('stock rejected')) return 'stock rejected';
  if (reason.startsWith('payment failed')) return 'payment declined';
  if (reason.startsWith('timed out')) return reason;
  return reason;
}

export async function verify(
  orderDb: pg.Pool,
  catalogDb: pg.Pool,
  products: readonly SeededProduct[],
  sagaName: string,
  fulfilment: FulfilmentInputs,
): Promise<Verdict> {
  const v: string[] = [];
  const orders = (
    await orderDb.query<{
      id: string;
      user_id: string;
      status: string;
      fulfillment_status: string;
      cancel_reason: string | null;
      total: string;
      currency: string;
      subtotal: string;
      discount: string;
      shipping: string;
      tax: string;
      price_mode: string | null;
      method_price: string | null;
      discount_code: string | null;
    }>(
      `SELECT id::text, user_id::text, status::text, fulfillment_status::text,
              cancel_reason, total_amount::text AS total, currency,
              subtotal_amount::text AS subtotal, discount_amount::text AS discount,
              shipping_amount::text AS shipping, tax_amount::text AS tax,
              pricing->'totals'->>'priceMode' AS price_mode,
              shipping_method->>'price' AS method_price, discount_code
         FROM orders`,
    )
  ).rows;
  const items = (
    await orderDb.query<{
      order_id: string;
      product_id: string;
      quantity: number;
      unit_price: string;
      discount: string;
      tax: string;
    }>(
      `SELECT order_id::text, product_id::text, quantity, unit_price::text AS unit_price,
              discount_amount::text AS discount, tax_amount::text AS tax
         FROM order_items`,
    )
  ).rows;
  const payments = new Map(
    (
      await orderDb.query<{
        order_id: string;
        status: string;
        amount: string;
        currency: string;
        refunded_ms: number | null;
      }>(
        `SELECT order_id::text, status, amount::text, currency,
                (extract(epoch FROM refunded_at) * 1000)::float8 AS refunded_ms
           FROM payments`,
      )
    ).rows.map((p) => [p.order_id, p]),
  );
  const orderOutbox = (
    await orderDb.query<OrderOutboxRow>(
      // The amount an OrderPlaced or PaymentAuthorized carries (a decimal string).
      `SELECT id::text, aggregate_id, type, status,
              CASE type WHEN 'OrderPlaced' THEN payload->'total'->>'amount'
                        WHEN 'PaymentAuthorized' THEN payload->'amount'->>'amount' END AS amount,
              payload->>'returnId' AS return_id, payload->>'resolution' AS resolution,
              (extract(epoch FROM created_at) * 1000)::float8 AS created_ms
         FROM outbox_events`,
    )
  ).rows;
  const catalogOutbox = (
    await catalogDb.query<{ id: string; aggregate_id: string; type: string; status: string }>(
      `SELECT id::text, aggregate_id, type, status FROM outbox_events`,
    )
  ).rows;
  const byId = new Map(orders.map((o) => [o.id, o]));

  // 1. Every order terminal, a cancelled one with its reason.
  for (const o of orders) {
    if (o.status !== 'COMPLETED' && o.status !== 'CANCELLED')
      v.push(`order ${o.id} ended ${o.status}, not terminal`);
    if (o.status === 'CANCELLED' && !o.cancel_reason)
      v.push(`order ${o.id} cancelled without a reason`);
  }

  // 2. No payment taken twice, none kept for a cancelled order, none missing for a completed
  // one (a completed order is refunded only when the carrier lost its last parcel); a whole-order
  // refund (PaymentRefunded without a return) at most once per order.
  const paymentEvents = count(
    orderOutbox.filter(
      (e) =>
        e.type === 'PaymentAuthorized' || (e.type === 'PaymentRefunded' && e.return_id === null),
    ),
    (e) => `${e.type} ${e.aggregate_id}`,
  );
  for (const [key, n] of Object.entries(paymentEvents))
    if (n > 1)
      v.push(`${key}: ${n} events (a payment taken twice, or a whole-order refund paid twice)`);
  const lostAndRefunded = new Set(
    orderOutbox
      .filter((e) => e.type === 'ParcelLost' && e.resolution === 'REFUND')
      .map((e) => e.aggregate_id),
  );
  for (const o of orders) {
    const p = payments.get(o.id);
    if (o.status === 'COMPLETED') {
      if (p?.status === 'refunded') {
        if (!lostAndRefunded.has(o.id))
          v.push(`order ${o.id} COMPLETED and refunded, but the carrier lost no parcel of it`);
      } else if (p?.status !== 'authorized')
        v.push(`order ${o.id} COMPLETED with payment ${p?.status ?? 'missing'}`);
      if (p && p.amount !== o.total)
        v.push(`order ${o.id} COMPLETED for ${o.total} but charged ${p.amount}`);
    }
    if (o.status === 'CANCELLED' && p?.status === 'authorized')
      v.push(`order ${o.id} CANCELLED but its payment is still authorized (not refunded)`);
    const refunded = paymentEvents[`PaymentRefunded ${o.id}`] ?? 0;
    if (refunded > 0 && p?.status !== 'refunded')
      v.push(`order ${o.id}: a refund event without a refunded payment (${p?.status ?? 'none'})`);
    if (p?.status === 'refunded' && refunded !== 1)
      v.push(`order ${o.id}: payment refunded but ${refunded} PaymentRefunded events`);
    // refunded_at is written in the transaction of the refund's PaymentRefunded (now() at its
    // start, before the event's time): a second refund would have moved it past that event.
    const refundEvent = orderOutbox.find(
      (e) => e.type === 'PaymentRefunded' && e.aggregate_id === o.id && e.return_id === null,
    );
    if (p && (p.refunded_ms !== null) !== (p.status === 'refunded'))
      v.push(`order ${o.id}: payment ${p.status} with refunded_at ${p.refunded_ms ?? 'unset'}`);
    else if (p?.refunded_ms != null && refundEvent) {
      const lead = refundEvent.created_ms - p.refunded_ms;
      if (lead < -5 || lead > 60_000)
        v.push(
          `order ${o.id}: refunded_at is ${Math.round(-lead)} ms after its PaymentRefunded (set again by a later refund?)`,
        );
    }
  }
  for (const orderId of payments.keys())
    if (!byId.has(orderId)) v.push(`payment for unknown order ${orderId}`);

  // 3. Stock conserved: initial = on hand + sold by COMPLETED orders, no reservation left
  // holding stock for an order that did not complete, and a kept one for each that did.
  const sold = new Map<string, number>();
  for (const i of items)
    if (byId.get(i.order_id)?.status === 'COMPLETED')
      sold.set(i.product_id, (sold.get(i.product_id) ?? 0) + i.quantity);
  const onHand = new Map(
    (
      await catalogDb.query<{ id: string; stock: number }>(
        `SELECT id::text, stock FROM products WHERE id = ANY($1::uuid[])`,
        [products.map((p) => p.id)],
      )
    ).rows.map((r) => [r.id, r.stock]),
  );
  let unitsSold = 0;
  let unitsLeft = 0;
  for (const p of products) {
    const left = onHand.get(p.id) ?? NaN;
    const s = sold.get(p.id) ?? 0;
    unitsSold += s;
    unitsLeft += left;
    if (left < 0) v.push(`product ${p.name}: negative stock ${left}`);
    if (p.stock !== left + s)
      v.push(`product ${p.name}: initial ${p.stock} != on hand ${left} + sold ${s}`);
  }
  const reservations = (
    await catalogDb.query<{ order_id: string; status: string; items: { quantity: number }[] }>(
      `SELECT order_id::text, status, items FROM stock_reservations`,
    )
  ).rows;
  const reservedFor = new Map(reservations.map((r) => [r.order_id, r]));
  for (const r of reservations) {
    const o = byId.get(r.order_id);
    if (r.status === 'reserved' && o?.status !== 'COMPLETED')
      v.push(
        `reservation of order ${r.order_id} still holds stock (order ${o?.status ?? 'unknown'})`,
      );
  }
  for (const o of orders)
    if (o.status === 'COMPLETED' && reservedFor.get(o.id)?.status !== 'reserved')
      v.push(`order ${o.id} COMPLETED without a kept reservation`);

  // 4. Every outbox row sent.
  for (const [name, rows] of [
    ['order', orderOutbox],
    ['catalog', catalogOutbox],
  ] as const) {
    const notSent = rows.filter((r) => r.status !== 'sent');
    if (notSent.length > 0)
      v.push(
        `${name} outbox: ${notSent.length} row(s) not sent (${JSON.stringify(count(notSent, (r) => r.status))})`,
      );
  }

  // 5. Each event's effect once: one outcome event per step and order, one history entry per
  // transition, and every event that was published reached the consumers meant to act on it.
  const perOrder = (rows: readonly OutboxRow[], types: string[], what: string) => {
    const n = count(
      rows.filter((r) => types.includes(r.type)),
      (r) => r.aggregate_id,
    );
    for (const [id, k] of Object.entries(n)) if (k > 1) v.push(`order ${id}: ${k} ${what} events`);
    return n;
  };
  perOrder(orderOutbox, ['OrderPlaced'], 'OrderPlaced');
  perOrder(orderOutbox, ['OrderCompleted', 'OrderCancelled'], 'OrderCompleted/OrderCancelled');
  perOrder(orderOutbox, ['PaymentAuthorized', 'PaymentFailed'], 'payment outcome');
  perOrder(catalogOutbox, ['StockReserved', 'StockRejected'], 'stock outcome');
  perOrder(catalogOutbox, ['StockReleased'], 'StockReleased');
  const repeated = await orderDb.query<{
    order_id: string;
    step: string;
    event: string;
    n: number;
  }>(
    // A re-shipped parcel is SHIPPED again, each loss LOST_IN_TRANSIT: those are counted
    // against the carrier's events in check 9.
    `SELECT order_id::text, step, event, count(*)::int AS n FROM workflow_events
      WHERE NOT (step = 'FULFILMENT' AND event IN ('SHIPPED', 'LOST_IN_TRANSIT'))
      GROUP BY order_id, step, event HAVING count(*) > 1`,
  );
  for (const r of repeated.rows)
    v.push(`order ${r.order_id}: workflow ${r.step}/${r.event} recorded ${r.n} times`);

  const inboxOf = async (db: pg.Pool, consumer: string) =>
    new Set(
      (
        await db.query<{ event_id: string }>(
          `SELECT event_id::text FROM inbox WHERE consumer = $1`,
          [consumer],
        )
      ).rows.map((r) => r.event_id),
    );
  const stockInbox = await inboxOf(catalogDb, `${sagaName}-catalog-stock`);
  const paymentInbox = await inboxOf(orderDb, `${sagaName}-payment-simulator`);
  const statusInbox = await inboxOf(orderDb, `${sagaName}-order-status`);
  const missed = (rows: readonly OutboxRow[], types: string[], inbox: Set<string>, who: string) => {
    const lost = rows.filter((r) => types.includes(r.type) && !inbox.has(r.id));
    if (lost.length > 0)
      v.push(
        `${who} never handled ${lost.length} event(s): ${lost
          .slice(0, 5)
          .map((r) => `${r.type} ${r.id}`)
          .join(', ')}`,
      );
  };
  missed(orderOutbox, ['OrderPlaced', 'OrderCancelled'], stockInbox, 'catalog-stock');
  missed(catalogOutbox, ['StockReserved'], paymentInbox, 'payment-simulator');
  missed(orderOutbox, ['OrderCancelled'], paymentInbox, 'payment-simulator');
  missed(catalogOutbox, ['StockReserved', 'StockRejected'], statusInbox, 'order-status');
  missed(orderOutbox, ['PaymentAuthorized', 'PaymentFailed'], statusInbox, 'order-status');
  missed(orderOutbox, ['ParcelLost'], paymentInbox, 'payment-simulator');
  missed(
    orderOutbox,
    ['OrderCompleted'],
    await inboxOf(orderDb, fulfilment.carrierConsumer),
    'the carrier',
  );

  // 6. The checkout's figures hold together: the total is the products less the discount plus
  // shipping and tax (NET: tax added; GROSS: included), the lines add up to the order, the
  // shipping is the method's snapshot price, and OrderPlaced carries the same total.
  const linesOf = new Map<string, typeof items>();
  for (const i of items) linesOf.set(i.order_id, [...(linesOf.get(i.order_id) ?? []), i]);
  const placedAmount = new Map(
    orderOutbox.filter((e) => e.type === 'OrderPlaced').map((e) => [e.aggregate_id, e.amount]),
  );
  const cents = (amount: string | null) => (amount === null ? null : toCents(amount));
  for (const o of orders) {
    const lines = linesOf.get(o.id) ?? [];
    const [total, subtotal, discount, shipping, tax] = [
      o.total,
      o.subtotal,
      o.discount,
      o.shipping,
      o.tax,
    ].map((a) => toCents(a)) as [bigint, bigint, bigint, bigint, bigint];
    const sum = (f: (l: (typeof lines)[number]) => bigint) => lines.reduce((n, l) => n + f(l), 0n);
    const payable = subtotal - discount + shipping;
    const expected = o.price_mode === 'GROSS' ? payable : payable + tax;
    if (o.price_mode !== 'NET' && o.price_mode !== 'GROSS')
      v.push(`order ${o.id}: no price mode in its pricing snapshot (${o.price_mode})`);
    if (total !== expected)
      v.push(
        `order ${o.id}: total ${o.total} != subtotal ${o.subtotal} - discount ${o.discount} + shipping ${o.shipping}${o.price_mode === 'GROSS' ? '' : ` + tax ${o.tax}`}`,
      );
    if (subtotal !== sum((l) => toCents(l.unit_price) * BigInt(l.quantity)))
      v.push(`order ${o.id}: subtotal ${o.subtotal} is not the sum of its lines`);
    if (discount !== sum((l) => toCents(l.discount)))
      v.push(`order ${o.id}: discount ${o.discount} is not the sum of its lines' discounts`);
    if (tax < sum((l) => toCents(l.tax)))
      v.push(`order ${o.id}: tax ${o.tax} is less than its lines' tax`);
    if (cents(o.method_price) !== shipping)
      v.push(`order ${o.id}: shipping ${o.shipping} but the method's price ${o.method_price}`);
    if (discount > 0n !== (o.discount_code !== null))
      v.push(`order ${o.id}: discount ${o.discount} with code ${o.discount_code ?? 'none'}`);
    if (cents(placedAmount.get(o.id) ?? null) !== total)
      v.push(`order ${o.id}: OrderPlaced carries ${placedAmount.get(o.id)}, the order ${o.total}`);
  }

  // 7. Every payment is for its order's total, with tax and shipping (whatever became of it),
  // and so is every PaymentAuthorized.
  for (const p of payments.values()) {
    const o = byId.get(p.order_id);
    if (o && (p.amount !== o.total || p.currency !== o.currency))
      v.push(
        `order ${o.id}: payment ${p.status} for ${p.amount} ${p.currency}, the order's total is ${o.total} ${o.currency}`,
      );
  }
  for (const e of orderOutbox)
    if (e.type === 'PaymentAuthorized') {
      const o = byId.get(e.aggregate_id);
      if (o && cents(e.amount) !== toCents(o.total))
        v.push(`order ${o.id}: PaymentAuthorized for ${e.amount}, the order's total is ${o.total}`);
    }

  // 8. A code's uses are the orders placed with it less the cancelled ones (a cancel gives the
  // use back exactly once): its counter, and one use row per order, released iff cancelled.
  const codes = (
    await orderDb.query<{ code: string; used: number }>(`SELECT code, used FROM discount_codes`)
  ).rows;
  const uses = new Map(
    (
      await orderDb.query<{ order_id: string; code: string; released: boolean }>(
        `SELECT u.order_id::text, c.code, u.released_at IS NOT NULL AS released
           FROM discount_uses u JOIN discount_codes c ON c.id = u.code_id`,
      )
    ).rows.map((u) => [u.order_id, u]),
  );
  const codeFigures: Figures['checkout']['codes'] = [];
  for (const c of codes) {
    const withIt = orders.filter((o) => o.discount_code === c.code);
    const cancelled = withIt.filter((o) => o.status === 'CANCELLED').length;
    if (withIt.length === 0 && c.used === 0) continue;
    codeFigures.push({ code: c.code, used: c.used, placed: withIt.length, cancelled });
    if (c.used !== withIt.length - cancelled)
      v.push(
        `code ${c.code}: used ${c.used}, but ${withIt.length} orders placed with it and ${cancelled} cancelled`,
      );
  }
  for (const o of orders) {
    const use = uses.get(o.id);
    if (o.discount_code === null) {
      if (use) v.push(`order ${o.id}: a use of ${use.code} without a code`);
    } else if (!use || use.code !== o.discount_code)
      v.push(
        `order ${o.id}: placed with ${o.discount_code} but its use is ${use?.code ?? 'missing'}`,
      );
    else if (use.released !== (o.status === 'CANCELLED'))
      v.push(
        `order ${o.id} ${o.status}: its use of ${use.code} is ${use.released ? 'given back' : 'still taken'}`,
      );
  }

  const fulfilmentFigures = await checkFulfilment(v, orderDb, catalogDb, {
    orders,
    payments,
    orderOutbox,
    maxShipments: fulfilment.maxShipments,
  });
  const emailFigures = await checkEmails(v, { orders, payments, orderOutbox, ...fulfilment });

  return {
    violations: v,
    figures: {
      orders: orders.length,
      completed: orders.filter((o) => o.status === 'COMPLETED').length,
      cancelledByReason: count(
        orders.filter((o) => o.status === 'CANCELLED'),
        (o) => reasonKind(o.cancel_reason),
      ),
      notTerminal: orders.filter((o) => o.status !== 'COMPLETED' && o.status !== 'CANCELLED')
        .length,
      payments: count([...payments.values()], (p) => p.status),
      outbox: {
        order: count(orderOutbox, (r) => r.status),
        catalog: count(catalogOutbox, (r) => r.status),
      },
      unitsSold,
      unitsLeft,
      checkout: {
        withTax: orders.filter((o) => toCents(o.tax) > 0n).length,
        withShipping: orders.filter((o) => toCents(o.shipping) > 0n).length,
        withCode: orders.filter((o) => o.discount_code !== null).length,
        codes: codeFigures,
      },
      fulfilment: fulfilmentFigures,
      emails: emailFigures,
    },
  };
}

interface OrderRow {
  id: string;
  user_id: string;
  status: string;
  fulfillment_status: string;
}

interface PaymentRow {
  order_id: string;
  status: string;
}

/**
 * 9. Fulfilment: every paid order ends delivered (COMPLETED, DELIVERED, its payment kept) or
 * refunded in full (cancelled after payment, or its last parcel lost), with the carrier's
 * schedule ended; each parcel shipped once (one OrderShipped and one SHIPPED entry per parcel:
 * the first and each re-shipment), each loss recorded once, nothing moved for a cancelled
 * order, and nothing restocked (a lost parcel's units stay sold).
 */
async function checkFulfilment(
  v: string[],
  orderDb: pg.Pool,
  catalogDb: pg.Pool,
  d: {
    orders: readonly OrderRow[];
    payments: ReadonlyMap<string, PaymentRow>;
    orderOutbox: readonly OrderOutboxRow[];
    maxShipments: number;
  },
): Promise<Figures['fulfilment']> {
  const eventsOf = (type: string, where: (e: OrderOutboxRow) => boolean = () => true) =>
    count(
      d.orderOutbox.filter((e) => e.type === type && where(e)),
      (e) => e.aggregate_id,
    );
  const paid = eventsOf('PaymentAuthorized');
  const packed = eventsOf('OrderPacked');
  const shipped = eventsOf('OrderShipped');
  const delivered = eventsOf('OrderDelivered');
  const lost = eventsOf('ParcelLost');
  const reshipped = eventsOf('ParcelLost', (e) => e.resolution === 'RESHIP');
  const lostRefunded = eventsOf('ParcelLost', (e) => e.resolution === 'REFUND');
  const schedule = new Map(
    (
      await orderDb.query<{ order_id: string; next_step: string | null; outcome: string | null }>(
        `SELECT order_id::text, next_step, outcome FROM carrier_schedule`,
      )
    ).rows.map((s) => [s.order_id, s]),
  );
  const workflow = new Map(
    (
      await orderDb.query<{ order_id: string; event: string; n: number }>(
        `SELECT order_id::text, event, count(*)::int AS n FROM workflow_events
          WHERE step = 'FULFILMENT' AND event IN ('SHIPPED', 'LOST_IN_TRANSIT')
          GROUP BY order_id, event`,
      )
    ).rows.map((r) => [`${r.event} ${r.order_id}`, r.n]),
  );

  const figures: Figures['fulfilment'] = {
    delivered: 0,
    reshippedOrders: Object.keys(reshipped).length,
    reshipments: Object.values(reshipped).reduce((a, b) => a + b, 0),
    lostParcels: Object.values(lost).reduce((a, b) => a + b, 0),
    lostAndRefunded: 0,
    refundedAfterCancel: 0,
  };
  for (const o of d.orders) {
    const p = d.payments.get(o.id);
    const refunded = p?.status === 'refunded';
    const isDelivered =
      o.status === 'COMPLETED' &&
      o.fulfillment_status === 'DELIVERED' &&
      p?.status === 'authorized';
    if (isDelivered) figures.delivered++;
    if (refunded && o.status === 'COMPLETED') figures.lostAndRefunded++;
    if (refunded && o.status === 'CANCELLED') figures.refundedAfterCancel++;
    if (paid[o.id] && !isDelivered && !refunded)
      v.push(
        `order ${o.id} was paid but is neither delivered nor refunded (${o.status}, fulfilment ${o.fulfillment_status}, payment ${p?.status ?? 'missing'})`,
      );
    const n = (counts: Record<string, number>) => counts[o.id] ?? 0;
    if (o.status !== 'COMPLETED') {
      if (o.fulfillment_status !== 'UNFULFILLED' || n(packed) + n(shipped) + n(delivered) > 0)
        v.push(
          `order ${o.id} ${o.status} but its fulfilment moved (${o.fulfillment_status}, ${n(shipped)} OrderShipped)`,
        );
      continue;
    }
    const s = schedule.get(o.id);
    if (!s) v.push(`order ${o.id} COMPLETED but never on the carrier's schedule`);
    else if (s.next_step !== null)
      v.push(`order ${o.id}: the carrier's schedule still waits to ${s.next_step}`);
    else if (s.outcome !== null && !(refunded && s.outcome === 'lost in transit, refunded'))
      v.push(`order ${o.id}: the carrier stopped (${s.outcome})`);
    if (refunded && o.fulfillment_status !== 'SHIPPED')
      v.push(
        `order ${o.id}: refunded for a lost parcel, but its fulfilment is ${o.fulfillment_status}`,
      );
    if (n(lostRefunded) > 1) v.push(`order ${o.id}: ${n(lostRefunded)} losses refunded`);
    if (n(lost) > d.maxShipments)
      v.push(
        `order ${o.id}: ${n(lost)} parcels lost, more than the ${d.maxShipments} sent at most`,
      );
    // One OrderShipped per parcel: the first, and one per loss re-shipped.
    const parcels = o.fulfillment_status === 'UNFULFILLED' ? 0 : 1 + n(reshipped);
    if (o.fulfillment_status !== 'UNFULFILLED' && n(packed) !== 1)
      v.push(`order ${o.id}: ${n(packed)} OrderPacked events`);
    if (o.fulfillment_status !== 'PACKED' && n(shipped) !== parcels)
      v.push(
        `order ${o.id}: ${n(shipped)} OrderShipped for ${parcels} parcel(s) (${n(reshipped)} re-shipped)`,
      );
    if ((workflow.get(`SHIPPED ${o.id}`) ?? 0) !== n(shipped))
      v.push(
        `order ${o.id}: ${workflow.get(`SHIPPED ${o.id}`) ?? 0} SHIPPED workflow entries, ${n(shipped)} OrderShipped`,
      );
    if ((workflow.get(`LOST_IN_TRANSIT ${o.id}`) ?? 0) !== n(lost))
      v.push(
        `order ${o.id}: ${workflow.get(`LOST_IN_TRANSIT ${o.id}`) ?? 0} LOST_IN_TRANSIT entries, ${n(lost)} ParcelLost`,
      );
    if (n(delivered) !== (o.fulfillment_status === 'DELIVERED' ? 1 : 0))
      v.push(`order ${o.id}: ${n(delivered)} OrderDelivered, fulfilment ${o.fulfillment_status}`);
  }
  // No return in this run: a restock could only be a lost parcel's units wrongly given back.
  const restocks = await catalogDb.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM stock_restocks`,
  );
  if (restocks.rows[0]!.n > 0) v.push(`${restocks.rows[0]!.n} restock(s) in a run without returns`);
  return figures;
}

/**
 * 10. Emails: one sent email for every event of the order outbox that sends one (the worker's
 * own mapping, emails.ts: placed, confirmed, cancelled, refunded, shipped, delivered), to the
 * order's customer; none for anything else; and in the SMTP server's inbox every sent email
 * exactly once (by its Message-ID) and nothing else. A second copy is allowed only where SMTP
 * allows no better: a message the server accepted moments before the notifications worker was
 * SIGKILLed or the server stopped (the 250 or the `sent` mark lost), sent again afterwards with
 * the same Message-ID. Those are counted, not hidden.
 */
async function checkEmails(
  v: string[],
  d: FulfilmentInputs & {
    orders: readonly OrderRow[];
    payments: ReadonlyMap<string, PaymentRow>;
    orderOutbox: readonly OrderOutboxRow[];
  },
): Promise<Figures['emails']> {
  const rows = (
    await d.notificationsDb.query<{
      event_id: string;
      kind: string;
      order_id: string | null;
      status: string;
      attempts: number;
      last_error: string | null;
      recipient: string | null;
      message_id: string | null;
    }>(
      `SELECT event_id::text, kind, order_id::text, status, attempts, last_error, recipient,
              message_id FROM emails`,
    )
  ).rows;
  const rowOf = new Map(rows.map((r) => [r.event_id, r]));
  const orderOf = new Map(d.orders.map((o) => [o.id, o]));
  const addressOf = new Map(d.customers.map((c) => [c.userId, c.email.toLowerCase()]));
  const expected = d.orderOutbox.filter((e) => emailOfEvent(e.type));
  const expectedIds = new Set(expected.map((e) => e.id));
  for (const e of expected) {
    const spec = emailOfEvent(e.type)!;
    const row = rowOf.get(e.id);
    const what = `${spec.kind} email of order ${e.aggregate_id} (${e.type} ${e.id})`;
    if (!row) v.push(`${what}: never written (the notifications worker missed the event)`);
    else if (row.kind !== spec.kind) v.push(`${what}: written as ${row.kind}`);
    else if (row.status !== 'sent')
      v.push(`${what}: ${row.status} after ${row.attempts} attempt(s) (${row.last_error ?? ''})`);
    else {
      const want = addressOf.get(orderOf.get(e.aggregate_id)?.user_id ?? '');
      if (row.recipient?.toLowerCase() !== want)
        v.push(`${what}: sent to ${row.recipient}, the customer is ${want ?? 'unknown'}`);
    }
  }
  for (const r of rows)
    if (!expectedIds.has(r.event_id))
      v.push(`${r.kind} email ${r.event_id}: no event of the order outbox sends it`);
  // Spelled out for the outcomes the run is about (implied by the above, clearer when broken).
  const sentKinds = new Set(
    rows.filter((r) => r.status === 'sent').map((r) => `${r.kind} ${r.order_id}`),
  );
  for (const o of d.orders) {
    if (o.fulfillment_status === 'DELIVERED' && !sentKinds.has(`order-delivered ${o.id}`))
      v.push(`order ${o.id} DELIVERED, but no delivered email was sent`);
    if (d.payments.get(o.id)?.status === 'refunded' && !sentKinds.has(`order-refunded ${o.id}`))
      v.push(`order ${o.id} refunded, but no refund email was sent`);
  }

  // The inbox: each sent email's Message-ID exactly once, nothing no sent row accounts for.
  const whole = d.inbox.filter((m) => m.complete);
  const copies = new Map<string, InboxMessage[]>();
  for (const m of whole) {
    if (!m.messageId) {
      v.push(`inbox message ${m.file} has no Message-ID`);
      continue;
    }
    copies.set(m.messageId, [...(copies.get(m.messageId) ?? []), m]);
  }
  const sent = rows.filter((r) => r.status === 'sent');
  const sentIds = new Set(sent.map((r) => r.message_id));
  let crashWindowDuplicates = 0;
  for (const r of sent) {
    const what = `${r.kind} email of order ${r.order_id} (${r.message_id})`;
    const got = (copies.get(r.message_id ?? '') ?? []).sort((a, b) => a.at - b.at);
    if (got.length === 0) {
      const cut = d.inbox.some((m) => !m.complete && m.messageId === r.message_id);
      v.push(
        `${what}: marked sent but not in the SMTP server's inbox${cut ? ' (only a cut-off copy: the server was killed after accepting it)' : ''}`,
      );
      continue;
    }
    for (const m of got)
      if (m.eventId !== r.event_id || m.kind !== r.kind)
        v.push(`${what}: the inbox copy ${m.file} names event ${m.eventId} (${m.kind})`);
    const first = got[0]!;
    for (const again of got.slice(1)) {
      const crash = d.disruptions.some(
        (k) => k >= first.at - 50 && k <= first.at + CRASH_WINDOW_MS && again.at >= k,
      );
      if (crash) crashWindowDuplicates++;
      else
        v.push(
          `${what}: sent twice (copies ${Math.round(again.at - first.at)} ms apart, no crash in between)`,
        );
    }
  }
  for (const [messageId, got] of copies)
    if (!sentIds.has(messageId))
      v.push(
        `inbox message ${messageId} (${got[0]!.kind}, ${got.length} cop${got.length === 1 ? 'y' : 'ies'}): no sent email accounts for it`,
      );
  if (copies.size !== sent.length)
    v.push(
      `the inbox holds ${copies.size} distinct messages, the notifications database ${sent.length} sent emails`,
    );

  const attempts = sent.map((r) => r.attempts);
  return {
    expected: expected.length,
    byStatus: count(rows, (r) => r.status),
    sentByKind: count(sent, (r) => r.kind),
    inbox: whole.length,
    cutOff: d.inbox.length - whole.length,
    crashWindowDuplicates,
    retried: attempts.filter((n) => n > 1).length,
    maxAttempts: Math.max(0, ...attempts),
  };
}
