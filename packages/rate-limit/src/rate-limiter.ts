import { createHash } from 'node:crypto';
import type { Redis } from '@shop/redis';
import { checkCost, checkRate, type Rate } from './gcra.ts';
import { CONSUME_SCRIPT, REFUND_SCRIPT } from './scripts.ts';

export interface RateLimiterOptions {
  /** Names the limit in Redis keys (`login-email`, `gateway-client`, ...). */
  name: string;
  /** Requests allowed per period, also the largest burst. */
  limit: number;
  periodSeconds: number;
  /** Prepended to every key (after the Redis client's own keyPrefix); default `rate-limit:`. */
  keyPrefix?: string;
}

export interface RateLimitResult {
  allowed: boolean;
  /** Further requests of cost 1 allowed right now. */
  remaining: number;
  /** Whole seconds to wait before retrying (rounded up); 0 when allowed. */
  retryAfterSeconds: number;
  /** Whole seconds until the key is back to its full allowance. */
  resetAfterSeconds: number;
  limit: number;
}

interface Script {
  source: string;
  sha: string;
}

const script = (source: string): Script => ({
  source,
  sha: createHash('sha1').update(source).digest('hex'),
});
const CONSUME = script(CONSUME_SCRIPT);
const REFUND = script(REFUND_SCRIPT);

/**
 * A Redis rate limiter (GCRA: a smoothly refilling bucket of `limit` requests per period), one
 * key per client or account. Atomic across instances; state is one small string per active key
 * that expires on its own once the bucket is full again. Keys are hashed, so callers may pass
 * e-mail addresses or IPs without storing them in Redis in clear.
 */
export class RateLimiter {
  private readonly rate: Rate;
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    readonly options: RateLimiterOptions,
  ) {
    this.rate = { limit: options.limit, periodMs: options.periodSeconds * 1000 };
    checkRate(this.rate);
    this.prefix = `${options.keyPrefix ?? 'rate-limit:'}${options.name}:`;
  }

  /** The Redis key for a caller's key (without the client's own keyPrefix). */
  redisKey(key: string): string {
    return this.prefix + createHash('sha256').update(key).digest('base64url').slice(0, 32);
  }

  /** Takes `cost` from the key's allowance if it has that much; a denied request takes nothing. */
  async consume(
    key: string,
    options: { cost?: number; now?: number } = {},
  ): Promise<RateLimitResult> {
    const cost = options.cost ?? 1;
    checkCost(cost, this.rate);
    const [allowed, remaining, retryAfterMs, resetAfterMs] = (await this.run(
      CONSUME,
      key,
      cost,
      options.now,
    )) as [number, number, string, string];
    return {
      allowed: allowed === 1,
      remaining: Number(remaining),
      retryAfterSeconds: Math.ceil(Number(retryAfterMs) / 1000),
      resetAfterSeconds: Math.ceil(Number(resetAfterMs) / 1000),
      limit: this.rate.limit,
    };
  }

  /** Gives back what an allowed request took (for example a login that turned out correct). */
  async refund(key: string, options: { cost?: number; now?: number } = {}): Promise<void> {
    const cost = options.cost ?? 1;
    checkCost(cost, this.rate);
    await this.run(REFUND, key, cost, options.now);
  }

  /** Forgets the key: a full allowance again. */
  async reset(key: string): Promise<void> {
    await this.redis.del(this.redisKey(key));
  }

  private async run(s: Script, key: string, cost: number, now: number | undefined) {
    const args = [this.redisKey(key), this.rate.periodMs, this.rate.limit, cost, now ?? ''];
    try {
      return await this.redis.evalsha(s.sha, 1, ...args);
    } catch (error) {
      if (!(error as Error).message?.startsWith('NOSCRIPT')) throw error;
      return this.redis.eval(s.source, 1, ...args);
    }
  }
}
