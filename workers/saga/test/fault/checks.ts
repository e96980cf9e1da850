/**
 * What must hold after a fault run, read straight from the two databases. Each check returns
 * violations as sentences naming the order or product, so a failing run says what broke.
 */
import type pg from 'pg';
import { toCents } from '@shop/subgraph-kit';
import type { SeededProduct } from './store.ts';

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
}

interface OutboxRow {
  id: string;
  aggregate_id: string;
  type: string;
  status: string;
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
): Promise<Verdict> {
  const v: string[] = [];
  const orders = (
    await orderDb.query<{
      id: string;
      status: string;
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
      `SELECT id::text, status::text, cancel_reason, total_amount::text AS total, currency,
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
      await orderDb.query<{ order_id: string; status: string; amount: string; currency: string }>(
        `SELECT order_id::text, status, amount::text, currency FROM payments`,
      )
    ).rows.map((p) => [p.order_id, p]),
  );
  const orderOutbox = (
    await orderDb.query<{
      id: string;
      aggregate_id: string;
      type: string;
      status: string;
      amount: string | null;
    }>(
      // The amount an OrderPlaced or PaymentAuthorized carries (a decimal string).
      `SELECT id::text, aggregate_id, type, status,
              CASE type WHEN 'OrderPlaced' THEN payload->'total'->>'amount'
                        WHEN 'PaymentAuthorized' THEN payload->'amount'->>'amount' END AS amount
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

  // 2. No payment taken twice, none kept for a cancelled order, none missing for a completed one.
  const paymentEvents = count(
    orderOutbox.filter((e) => e.type === 'PaymentAuthorized' || e.type === 'PaymentRefunded'),
    (e) => `${e.type} ${e.aggregate_id}`,
  );
  for (const [key, n] of Object.entries(paymentEvents))
    if (n > 1) v.push(`${key}: ${n} events (a payment taken or refunded twice)`);
  for (const o of orders) {
    const p = payments.get(o.id);
    if (o.status === 'COMPLETED') {
      if (p?.status !== 'authorized')
        v.push(`order ${o.id} COMPLETED with payment ${p?.status ?? 'missing'}`);
      else if (p.amount !== o.total)
        v.push(`order ${o.id} COMPLETED for ${o.total} but charged ${p.amount}`);
    }
    if (o.status === 'CANCELLED' && p?.status === 'authorized')
      v.push(`order ${o.id} CANCELLED but its payment is still authorized (not refunded)`);
    const refunded = paymentEvents[`PaymentRefunded ${o.id}`] ?? 0;
    if (refunded > 0 && p?.status !== 'refunded')
      v.push(`order ${o.id}: a refund event without a refunded payment (${p?.status ?? 'none'})`);
    if (p?.status === 'refunded' && refunded !== 1)
      v.push(`order ${o.id}: payment refunded but ${refunded} PaymentRefunded events`);
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
    `SELECT order_id::text, step, event, count(*)::int AS n FROM workflow_events
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
    },
  };
}
