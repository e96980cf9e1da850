import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRedis } from '@shop/redis';
import { ResponseCacheStore } from '../src/response-cache/index.ts';

const redis = createRedis(inject('stack').redis.url);
const store = new ResponseCacheStore(redis, `response-cache:store-test-${randomUUID()}:`);
const answer = (name: string) => ({
  result: { data: { product: { name } } },
  storedAt: Date.now(),
  maxAgeSeconds: 60,
});

beforeAll(() => redis.connect());
afterAll(() => redis.quit());

describe('the response cache store (real Redis)', () => {
  it('serves what it stored until a purge of one of its tags', async () => {
    const key = randomUUID();
    const { sequence } = await store.lookup(key);
    expect(await store.store(key, answer('Reel'), ['Product:1', 'Seller:2'], sequence)).toBe(true);
    expect((await store.lookup(key)).hit?.result).toEqual({ data: { product: { name: 'Reel' } } });
    // Another tag leaves it alone; one of its own deletes it.
    expect(await store.purge(['Product:3'])).toBe(0);
    expect((await store.lookup(key)).hit).toBeDefined();
    expect(await store.purge(['Seller:2'])).toBe(1);
    expect((await store.lookup(key)).hit).toBeUndefined();
  });

  it('drops an answer read before a purge of its tags and finished after it', async () => {
    const key = randomUUID();
    const { sequence } = await store.lookup(key); // the miss, before the subgraphs answer
    await store.purge(['Product:10']); // the change's event, while the request runs
    expect(await store.store(key, answer('Old'), ['Product:10'], sequence)).toBe(false);
    expect((await store.lookup(key)).hit).toBeUndefined();
    // A request that started after the purge stores its (fresh) answer.
    const after = await store.lookup(key);
    expect(await store.store(key, answer('New'), ['Product:10'], after.sequence)).toBe(true);
  });

  it('keeps an answer whose tags were not purged meanwhile, whatever else was', async () => {
    const key = randomUUID();
    const { sequence } = await store.lookup(key);
    await store.purge(['Product:20']);
    expect(await store.store(key, answer('Kept'), ['Product:21'], sequence)).toBe(true);
  });

  it('lets an entry go after its max-age', async () => {
    const key = randomUUID();
    const { sequence } = await store.lookup(key);
    await store.store(key, { ...answer('Brief'), maxAgeSeconds: 1 }, ['Product:30'], sequence);
    await expect.poll(async () => (await store.lookup(key)).hit, { timeout: 5000 }).toBeUndefined();
  });
});
