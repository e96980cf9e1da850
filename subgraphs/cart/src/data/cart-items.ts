/**
 * The cart's lines in plain SQL through pg (the tables are the cart's Prisma schema's): every
 * cart view and every placement reads them, and a Prisma model query cost several times the
 * CPU of the same statement through pg (prisma/src/pg-pool.ts).
 */
import type pg from 'pg';
import { pgTransaction } from '@shop/events';
import type { CartLine } from '../domain/cart-rules.ts';

/** The cart database: its pool, or a client inside the caller's transaction. */
export type Db = Pick<pg.Pool, 'query'>;
/** A client inside a transaction (BEGIN … COMMIT). */
export type Tx = pg.PoolClient;

/**
 * Holds the user's cart until the transaction ends: every change of one cart (its lines or its
 * checkout choices) takes it, so concurrent changes run one after the other.
 */
export async function lockCart(tx: Tx, userId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [userId]);
}

export async function cartLinesOf(db: Db, userId: string): Promise<CartLine[]> {
  const { rows } = await db.query<{ product_id: string; quantity: number; added_at: Date }>(
    `SELECT product_id, quantity, added_at FROM cart_items
      WHERE user_id = $1::uuid ORDER BY added_at, product_id`,
    [userId],
  );
  return rows.map((row) => ({
    productId: row.product_id,
    quantity: row.quantity,
    addedAt: row.added_at,
  }));
}

/** Runs `work` in one transaction of the cart database. */
export const inCartTransaction = <T>(pool: pg.Pool, work: (tx: Tx) => Promise<T>): Promise<T> =>
  pgTransaction(pool)(work);

/**
 * Runs `change` on the user's lines inside one transaction that holds a per-user advisory
 * lock: concurrent changes to one cart run one after the other, so limits (units per line,
 * lines per cart) are checked against what is really there. Returns the lines afterwards.
 */
export function changeCart(
  pool: pg.Pool,
  userId: string,
  change: (tx: Tx, lines: CartLine[]) => Promise<void>,
): Promise<CartLine[]> {
  return inCartTransaction(pool, async (tx) => {
    await lockCart(tx, userId);
    await change(tx, await cartLinesOf(tx, userId));
    await bumpLinesVersion(tx, userId);
    return cartLinesOf(tx, userId);
  });
}

/** Counts a change of the user's lines (cart_versions: what placeOrder orders once). */
export async function bumpLinesVersion(tx: Tx, userId: string): Promise<void> {
  await tx.query(
    `INSERT INTO cart_versions (user_id, version) VALUES ($1::uuid, 1)
     ON CONFLICT (user_id) DO UPDATE SET version = cart_versions.version + 1`,
    [userId],
  );
}

/** The version of the user's lines (0 before their first change). */
export async function linesVersionOf(db: Db, userId: string): Promise<string> {
  const { rows } = await db.query<{ version: string }>(
    'SELECT version::text FROM cart_versions WHERE user_id = $1::uuid',
    [userId],
  );
  return rows[0]?.version ?? '0';
}

export async function setLineQuantity(
  tx: Tx,
  userId: string,
  productId: string,
  quantity: number,
): Promise<void> {
  await tx.query(
    `INSERT INTO cart_items (user_id, product_id, quantity, updated_at)
     VALUES ($1::uuid, $2::uuid, $3, now())
     ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = EXCLUDED.quantity, updated_at = now()`,
    [userId, productId, quantity],
  );
}

export async function removeLine(tx: Tx, userId: string, productId: string): Promise<void> {
  await tx.query('DELETE FROM cart_items WHERE user_id = $1::uuid AND product_id = $2::uuid', [
    userId,
    productId,
  ]);
}

export async function removeAllLines(tx: Tx, userId: string): Promise<void> {
  await tx.query('DELETE FROM cart_items WHERE user_id = $1::uuid', [userId]);
}
