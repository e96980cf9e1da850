/**
 * The cart's consumers, run apart from the cart subgraph so a slow or failing event never holds
 * up its API: OrderPlaced takes the ordered quantities out of the user's cart (the reaction
 * itself is the cart's code, `@shop/cart/order-events`).
 */
import { createLogger } from '@shop/logging';
import type { Redis } from '@shop/redis';
import type pg from 'pg';
import { cartOrderConsumer } from '@shop/cart/order-events';
import { EventConsumer, sharedConsumerOptions, type WorkerConsumerSettings } from '@shop/events';

export interface CartWorkerOptions extends WorkerConsumerSettings {
  /** The cart database: the consumer's transactions and its inbox. */
  cartPool: pg.Pool;
  /** The cart database's URL: the cache namespace the cart service reads. */
  cartDatabaseUrl: string;
  redis: Redis;
  cacheTtlSeconds?: number;
  /** Topic names (tests use private ones). */
  topics?: { orders: string };
  /** Prefix of the consumer's name and group id (tests use a private one). */
  namePrefix?: string;
}

export interface CartWorker {
  consumer: EventConsumer<pg.PoolClient>;
  stop(): Promise<void>;
}

export async function startCartWorker(options: CartWorkerOptions): Promise<CartWorker> {
  const prefix = options.namePrefix ?? 'cart-worker';
  const orders = cartOrderConsumer({
    cartPool: options.cartPool,
    cartDatabaseUrl: options.cartDatabaseUrl,
    redis: options.redis,
    cacheTtlSeconds: options.cacheTtlSeconds,
    logger: options.logger ?? createLogger(prefix, 'silent'),
    topics: options.topics,
  });
  const consumer = new EventConsumer<pg.PoolClient>({
    ...sharedConsumerOptions(options),
    name: `${prefix}-orders`,
    topics: orders.topics,
    handles: orders.handles,
    transaction: orders.transaction,
    handler: orders.handler,
  });
  await consumer.start();
  return { consumer, stop: () => consumer.stop() };
}
