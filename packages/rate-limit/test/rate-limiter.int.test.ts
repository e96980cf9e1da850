import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createRedis } from '@shop/redis';
import { gcra } from '../src/gcra.ts';
import { RateLimiter } from '../src/rate-limiter.ts';

const redis = createRedis(inject('stack').redis.url);
const keyPrefix = `${process.env.TEST_PREFIX ?? 'shoptest'}:rate-limit:${randomUUID()}:`;
afterAll(async () => {
  const keys = await redis.keys(`${keyPrefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const limiter = (limit: number, periodSeconds: number, name = randomUUID()) =>
  new RateLimiter(redis, { name, limit, periodSeconds, keyPrefix });

describe('RateLimiter on Redis', () => {
  it('allows `limit` requests, then denies with a retry time', async () => {
    const l = limiter(3, 60);
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await l.consume('client-a'));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
    expect(results[3]!.retryAfterSeconds).toBeGreaterThanOrEqual(19);
    expect(results[3]!.retryAfterSeconds).toBeLessThanOrEqual(20);
    expect((await l.consume('client-b')).allowed).toBe(true);
  });

  it('agrees with the reference arithmetic step for step', async () => {
    const l = limiter(7, 10);
    const rate = { limit: 7, periodMs: 10_000 };
    let tat: number | null = null;
    let now = 1_700_000_000_000;
    for (let i = 0; i < 40; i++) {
      now += (i * 7919) % 2300; // irregular gaps, some bursts
      const expected = gcra(tat, now, rate);
      if (expected.newTat !== null) tat = expected.newTat;
      const actual = await l.consume('k', { now });
      expect(actual).toEqual({
        allowed: expected.allowed,
        remaining: expected.remaining,
        retryAfterSeconds: Math.ceil(expected.retryAfterMs / 1000),
        resetAfterSeconds: Math.ceil(expected.resetAfterMs / 1000),
        limit: 7,
      });
    }
  });

  it('is atomic: 50 concurrent requests against a limit of 10 let exactly 10 through', async () => {
    const l = limiter(10, 60);
    const results = await Promise.all(Array.from({ length: 50 }, () => l.consume('burst')));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
  });

  it('refund gives a request back; reset forgets the key', async () => {
    const l = limiter(2, 60);
    await l.consume('r');
    await l.consume('r');
    expect((await l.consume('r')).allowed).toBe(false);
    await l.refund('r');
    expect((await l.consume('r')).allowed).toBe(true);
    await l.reset('r');
    expect((await l.consume('r')).remaining).toBe(1);
  });

  it('stores hashed keys that expire once the allowance is full again', async () => {
    const l = limiter(5, 2);
    await l.consume('someone@example.com');
    const key = l.redisKey('someone@example.com');
    expect(key).not.toContain('someone');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(400);
  });

  it('refuses nonsense limits and costs', async () => {
    expect(() => limiter(0, 60)).toThrow(RangeError);
    await expect(limiter(3, 60).consume('x', { cost: 4 })).rejects.toThrow(RangeError);
  });
});
