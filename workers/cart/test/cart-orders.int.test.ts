import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import type { Kafka } from '@shop/kafka';
import { createRedis, type Redis } from '@shop/redis';
import { OrderPlaced, createEvent } from '@shop/events';
import { CartCache, cartCacheNamespace } from '@shop/cart/cache';
import { createLogger } from '@shop/logging';
import { startCartWorker, type CartWorker } from '../src/cart-worker.ts';
import { env, freshTopic, testKafka, waitFor } from '../../../events/test/helpers.ts';

let kafka: Kafka;
let cart: pg.Pool;
let redis: Redis;
let worker: CartWorker;
let orders: string;
const tag = randomUUID().slice(0, 8);

beforeAll(async () => {
  kafka = testKafka('cart-orders-test');
  cart = new pg.Pool({ connectionString: env().databaseUrl('cart'), max: 4 });
  redis = createRedis(inject('stack').redis.url);
  await redis.connect();
  orders = await freshTopic(kafka, `cart-orders-${tag}`);
  worker = await startCartWorker({
    kafka,
    cartPool: cart,
    cartDatabaseUrl: env().databaseUrl('cart'),
    redis,
    topics: { orders },
    namePrefix: `cart-test-${tag}`,
    backoff: { initialMs: 20, maxMs: 200 },
  });
});
afterAll(async () => {
  await worker?.stop();
  await cart?.end();
  redis?.disconnect();
});

const linesOf = async (userId: string) =>
  (
    await cart.query<{ product_id: string; quantity: number }>(
      `SELECT product_id, quantity FROM cart_items WHERE user_id = $1 ORDER BY quantity`,
      [userId],
    )
  ).rows.map((r) => [r.product_id, r.quantity]);

describe('cart side of OrderPlaced', () => {
  it('subtracts the ordered quantities once, keeps the rest, and invalidates the cache', async () => {
    const userId = randomUUID();
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    for (const [p, q] of [
      [a, 2],
      [b, 5],
      [c, 1],
    ] as const)
      await cart.query(
        `INSERT INTO cart_items (user_id, product_id, quantity, updated_at) VALUES ($1, $2, $3, now())`,
        [userId, p, q],
      );
    // The cart service's own cache (same namespace as the service derives from its database)
    // holds the lines as they were before the order.
    const serviceCache = new CartCache(
      redis,
      { ttlSeconds: 60, namespace: cartCacheNamespace(env().databaseUrl('cart')) },
      createLogger('test', 'silent'),
    );
    const readThroughService = () =>
      serviceCache.lines(userId, async () =>
        (
          await cart.query<{ product_id: string; quantity: number; updated_at: Date }>(
            `SELECT product_id, quantity, updated_at FROM cart_items WHERE user_id = $1`,
            [userId],
          )
        ).rows.map((r) => ({
          productId: r.product_id,
          quantity: r.quantity,
          addedAt: r.updated_at,
        })),
      );
    expect(await readThroughService()).toHaveLength(3);
    expect(await readThroughService()).toHaveLength(3);
    await cart.query(
      `INSERT INTO cart_checkouts (user_id, discount_code, updated_at) VALUES ($1, 'SPRING10', now())`,
      [userId],
    );
    const version = async () =>
      (
        await cart.query<{ version: string }>(
          `SELECT coalesce((SELECT version::text FROM cart_versions WHERE user_id = $1), '0') AS version`,
          [userId],
        )
      ).rows[0]!.version;
    const versionBefore = await version();
    const event = createEvent(OrderPlaced, randomUUID(), {
      orderId: randomUUID(),
      userId,
      items: [
        { productId: a, quantity: 2, unitPrice: { amount: '1.00', currency: 'EUR' } },
        { productId: b, quantity: 3, unitPrice: { amount: '1.00', currency: 'EUR' } },
      ],
      total: { amount: '5.00', currency: 'EUR' },
      discountCode: 'SPRING10',
    });
    const producer = kafka.producer();
    await producer.connect();
    const message = { key: event.aggregateId, value: JSON.stringify(event) };
    // Delivered twice: the inbox makes the second one a no-op.
    await producer.send({ topic: orders, messages: [message, message] });
    await producer.disconnect();
    await waitFor(async () => (await linesOf(userId)).length === 2, 10_000);
    await waitFor(() => worker.consumer.stats.duplicates === 1, 10_000);
    expect(await linesOf(userId)).toEqual([
      [c, 1],
      [b, 2],
    ]);
    // The code the order used left the cart with its lines, and the lines' version moved on once.
    const { rows } = await cart.query(
      `SELECT discount_code FROM cart_checkouts WHERE user_id = $1`,
      [userId],
    );
    expect(rows).toEqual([{ discount_code: null }]);
    expect(BigInt(await version())).toBe(BigInt(versionBefore) + 1n);
    // The service's next read sees the emptied cart, not its cached copy from before the order.
    expect((await readThroughService()).map((l) => [l.productId, l.quantity]).sort()).toEqual(
      [
        [b, 2],
        [c, 1],
      ].sort(),
    );
  });
});
