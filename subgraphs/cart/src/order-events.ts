/**
 * The cart's side of OrderPlaced: the ordered quantities leave the user's cart (a line whose
 * quantity is covered is removed, a larger one is reduced, so items added after checkout stay),
 * the discount code the order used leaves it too, the lines' version moves on,
 * in one cart-database transaction with the inbox row, and the cart cache is invalidated after
 * the commit (invalidating before it would let a concurrent reader cache the old lines).
 */
import type { Logger } from '@shop/logging';
import type { Redis } from '@shop/redis';
import type pg from 'pg';
import {
  OrderPlaced,
  TOPICS,
  pgTransaction,
  type AnyEvent,
  type TransactionHook,
} from '@shop/events';
import { CartCache, cartCacheNamespace } from './data/cart-cache.ts';

const SUBTRACT = `WITH bumped AS (
    -- The lines change: a new version, which the next order may be placed from.
    INSERT INTO cart_versions (user_id, version) VALUES ($1::uuid, 1)
    ON CONFLICT (user_id) DO UPDATE SET version = cart_versions.version + 1
  ), code_used AS (
    -- The order used the cart's code: it leaves the cart with the lines it discounted.
    UPDATE cart_checkouts SET discount_code = NULL, updated_at = now()
    WHERE user_id = $1::uuid AND discount_code = $4
  ), ordered AS (
    SELECT product_id, sum(quantity)::int AS quantity
    FROM unnest($2::uuid[], $3::int[]) AS t(product_id, quantity) GROUP BY product_id
  ), removed AS (
    DELETE FROM cart_items c USING ordered o
    WHERE c.user_id = $1::uuid AND c.product_id = o.product_id AND c.quantity <= o.quantity
  )
  UPDATE cart_items c SET quantity = c.quantity - o.quantity, updated_at = now()
  FROM ordered o
  WHERE c.user_id = $1::uuid AND c.product_id = o.product_id AND c.quantity > o.quantity`;

export interface CartOrderConsumerOptions {
  cartPool: pg.Pool;
  /** The cart database's URL: the cache namespace the cart service reads (cartCacheNamespace). */
  cartDatabaseUrl: string;
  redis: Redis;
  logger: Logger;
  cacheTtlSeconds?: number;
  topics?: { orders: string };
}

export function cartOrderConsumer(options: CartOrderConsumerOptions) {
  const cache = new CartCache(
    options.redis,
    {
      ttlSeconds: options.cacheTtlSeconds ?? 300,
      namespace: cartCacheNamespace(options.cartDatabaseUrl),
    },
    options.logger,
  );
  const base = pgTransaction(options.cartPool);
  const touched = new WeakMap<pg.PoolClient, Set<string>>();
  const transaction: TransactionHook<pg.PoolClient> = async (work) => {
    let users = new Set<string>();
    const result = await base(async (tx) => {
      users = new Set();
      touched.set(tx, users);
      try {
        return await work(tx);
      } finally {
        touched.delete(tx);
      }
    });
    for (const userId of users) await cache.invalidate(userId);
    return result;
  };
  const handler = async (event: AnyEvent, { tx }: { tx: pg.PoolClient }): Promise<void> => {
    if (event.type !== OrderPlaced.type) return;
    const { userId, items } = event.payload;
    await tx.query(SUBTRACT, [
      userId,
      items.map((i) => i.productId),
      items.map((i) => i.quantity),
      event.payload.discountCode ?? null,
    ]);
    touched.get(tx)?.add(userId);
  };
  return {
    topics: [options.topics?.orders ?? TOPICS.orders.name],
    transaction,
    handler,
    handles: [OrderPlaced.type],
  };
}
