import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '@shop/logging';
import { connectRedis, type Redis } from '@shop/redis';
import { testEnv } from '@shop/testing';
import { CartCache } from '../src/data/cart-cache.ts';
import type { CartLine } from '../src/domain/cart-rules.ts';

const env = testEnv(inject('stack'));
let redis: Redis;
let cache: CartCache;

const line = (productId: string, quantity: number): CartLine => ({
  productId,
  quantity,
  addedAt: new Date('2024-01-01T00:00:00.000Z'),
});

const namespace = `cart-cache-test-${randomUUID()}`;

beforeAll(async () => {
  redis = await connectRedis(env.stack.redis.url, 'REDIS_URL');
  cache = new CartCache(redis, { ttlSeconds: 60, namespace }, createLogger('test', 'silent'));
});
afterAll(() => redis?.disconnect());

describe('CartCache (real Redis)', () => {
  it('serves the second read from Redis', async () => {
    const user = randomUUID();
    let loads = 0;
    const load = async () => (loads++, [line('a', 2)]);
    expect(await cache.lines(user, load)).toEqual([line('a', 2)]);
    expect(await cache.lines(user, load)).toEqual([line('a', 2)]);
    expect(loads).toBe(1);
    await cache.invalidate(user);
    await cache.lines(user, load);
    expect(loads).toBe(2);
  });

  it('never stores a copy read before a change that invalidated meanwhile', async () => {
    const user = randomUUID();
    let database = [line('a', 1)];
    // A slow reader reads the database, then a change commits and invalidates before the
    // reader gets to store what it read.
    const slowRead = cache.lines(user, async () => {
      const seen = database;
      database = [line('a', 5)]; // the concurrent change commits...
      await cache.invalidate(user); // ...and invalidates
      return seen;
    });
    expect(await slowRead).toEqual([line('a', 1)]); // that request saw the old state
    // The stale copy was not cached: the next read goes to the database and sees the change.
    expect(await cache.lines(user, async () => database)).toEqual([line('a', 5)]);
    expect(await cache.lines(user, async () => [])).toEqual([line('a', 5)]); // and caches it
  });

  it('keeps users apart and expires entries', async () => {
    const [u1, u2] = [randomUUID(), randomUUID()];
    await cache.lines(u1, async () => [line('a', 1)]);
    expect(await cache.lines(u2, async () => [line('b', 3)])).toEqual([line('b', 3)]);
    const ttl = await redis.ttl(`${namespace}:cart:{${u1}}:lines`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });
});
