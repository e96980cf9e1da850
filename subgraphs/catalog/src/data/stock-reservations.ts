import type pg from 'pg';
import { preparedStatement } from '@shop/events';
/**
 * The catalog's stock reservations (SQL over its products and stock_reservations tables): what
 * the saga's stock consumer does to the catalog, in the consumer's transaction.
 */
export type Line = { productId: string; quantity: number };

/** Merges repeated products and sorts by id, so concurrent reservations lock rows in one order. */
export function mergeLines(lines: readonly Line[]): Line[] {
  const byId = new Map<string, number>();
  for (const l of lines) byId.set(l.productId, (byId.get(l.productId) ?? 0) + l.quantity);
  return [...byId]
    .map(([productId, quantity]) => ({ productId, quantity }))
    .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0));
}

const reservationOf = preparedStatement(
  'stock-reservation-of',
  `SELECT 1 FROM stock_reservations WHERE order_id = $1`,
);
// A deleted product may still sit in a cart, but it is no longer sold.
const takeStock = preparedStatement(
  'stock-take',
  `UPDATE products SET stock = stock - $2, updated_at = now()
    WHERE id = $1 AND stock >= $2 AND deleted_at IS NULL`,
);
const recordReservation = preparedStatement(
  'stock-reservation-insert',
  `INSERT INTO stock_reservations (order_id, items) VALUES ($1, $2::jsonb)`,
);

export type ReserveResult =
  | { outcome: 'reserved'; items: Line[] }
  | { outcome: 'rejected'; reason: string; productIds: string[] }
  | { outcome: 'already' }
  /** None of the lines is a product of this catalog: the order is another system's. */
  | { outcome: 'foreign' };

/**
 * Reserves every line of an order in the caller's transaction, all or nothing: each line is a
 * conditional decrement (`stock >= quantity`), so stock never goes negative and two buyers of
 * the last unit cannot both get it. A failed line rolls the others back (savepoint). The
 * reservation row makes a later release happen at most once.
 */
export async function reserveStock(
  tx: pg.PoolClient,
  orderId: string,
  lines: readonly Line[],
): Promise<ReserveResult> {
  const existing = await tx.query(reservationOf([orderId]));
  if (existing.rowCount) return { outcome: 'already' };
  const items = mergeLines(lines);
  // One line takes all or nothing by itself: the savepoint (two round trips) is for several.
  const savepoint = items.length > 1;
  if (savepoint) await tx.query('SAVEPOINT reserve_stock');
  const short: string[] = [];
  for (const line of items) {
    const r = await tx.query(takeStock([line.productId, line.quantity]));
    if (r.rowCount !== 1) {
      short.push(line.productId);
      break;
    }
  }
  if (short.length > 0) {
    if (savepoint) await tx.query('ROLLBACK TO SAVEPOINT reserve_stock');
    const found = await tx.query<{ id: string; name: string; stock: number; deleted: boolean }>(
      `SELECT id, name, stock, deleted_at IS NOT NULL AS deleted FROM products WHERE id = ANY($1::uuid[])`,
      [items.map((l) => l.productId)],
    );
    // The order service prices an order from this catalog, and products are only ever deleted
    // softly: an order none of whose products exist comes from another system sharing the
    // topics (a test or benchmark run on the same broker). Answering it would reject that
    // system's order; the step timeout still ends an order of ours stuck this way.
    if (found.rows.length === 0) return { outcome: 'foreign' };
    const byId = new Map(found.rows.map((p) => [p.id, p]));
    const problems: string[] = [];
    const productIds: string[] = [];
    for (const line of items) {
      const p = byId.get(line.productId);
      if (!p) problems.push(`product ${line.productId} does not exist`);
      else if (p.deleted) problems.push(`${p.name} is no longer sold`);
      else if (p.stock < line.quantity)
        problems.push(`not enough stock for ${p.name} (${p.stock} left, ${line.quantity} asked)`);
      else continue;
      productIds.push(line.productId);
    }
    if (problems.length === 0) problems.push('not enough stock');
    return { outcome: 'rejected', reason: problems.join('; '), productIds };
  }
  if (savepoint) await tx.query('RELEASE SAVEPOINT reserve_stock');
  await tx.query(recordReservation([orderId, JSON.stringify(items)]));
  return { outcome: 'reserved', items };
}

/**
 * Gives an order's reserved stock back, once: null when nothing was (still) reserved. When
 * the order has no reservation at all, a released one with no items is left behind: an
 * OrderPlaced that arrives after the cancellation (replayed from the dead-letter topic, or
 * published after a failed outbox row) then finds the order settled and reserves nothing,
 * instead of holding stock for a cancelled order for ever.
 */
export async function releaseStock(tx: pg.PoolClient, orderId: string): Promise<Line[] | null> {
  const r = await tx.query<{ items: Line[] }>(
    `UPDATE stock_reservations SET status = 'released', released_at = now()
      WHERE order_id = $1 AND status = 'reserved' RETURNING items`,
    [orderId],
  );
  const items = r.rows[0]?.items;
  if (!items) {
    await tx.query(
      `INSERT INTO stock_reservations (order_id, items, status, released_at)
       VALUES ($1, '[]'::jsonb, 'released', now()) ON CONFLICT (order_id) DO NOTHING`,
      [orderId],
    );
    return null;
  }
  for (const line of mergeLines(items))
    await tx.query(`UPDATE products SET stock = stock + $2, updated_at = now() WHERE id = $1`, [
      line.productId,
      line.quantity,
    ]);
  return items;
}

/**
 * Puts a received return's units back in stock, once per return (the stock_restocks row keyed
 * by return id is written with the increments): false when this return was already restocked.
 * A product deleted since still gets its units back, so its stock is right if it is restored.
 */
export async function restockReturn(
  tx: pg.PoolClient,
  returnId: string,
  orderId: string,
  lines: readonly Line[],
): Promise<boolean> {
  const items = mergeLines(lines);
  const { rowCount } = await tx.query(
    `INSERT INTO stock_restocks (return_id, order_id, items) VALUES ($1, $2, $3::jsonb)
     ON CONFLICT (return_id) DO NOTHING`,
    [returnId, orderId, JSON.stringify(items)],
  );
  if (!rowCount) return false;
  for (const line of items)
    await tx.query(`UPDATE products SET stock = stock + $2, updated_at = now() WHERE id = $1`, [
      line.productId,
      line.quantity,
    ]);
  return true;
}
