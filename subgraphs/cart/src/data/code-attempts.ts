import { RateLimiter } from '@shop/rate-limit';
import type { Redis } from '@shop/redis';
import { DomainError } from '@shop/subgraph-kit';

/**
 * applyDiscountCode attempts per customer, in Redis: codes are short and an unknown code says
 * so, so unlimited tries would let a script find every code. A code that applies gives its
 * attempt back: only failures count.
 */
export class DiscountCodeAttempts {
  private readonly limiter: RateLimiter;

  constructor(
    redis: Redis,
    options: { attempts: number; windowSeconds: number; keyPrefix: string },
  ) {
    this.limiter = new RateLimiter(redis, {
      name: 'discount-code-user',
      limit: options.attempts,
      periodSeconds: options.windowSeconds,
      keyPrefix: options.keyPrefix,
    });
  }

  /** Runs one attempt of `userId`, or refuses with RATE_LIMITED when the window is used up. */
  async attempt<T>(userId: string, apply: () => Promise<T>): Promise<T> {
    const result = await this.limiter.consume(userId);
    if (!result.allowed)
      throw new DomainError(
        'RATE_LIMITED',
        `Too many discount codes tried; try again in ${result.retryAfterSeconds} s`,
        { retryAfter: result.retryAfterSeconds },
      );
    const applied = await apply();
    await this.limiter.refund(userId);
    return applied;
  }
}
