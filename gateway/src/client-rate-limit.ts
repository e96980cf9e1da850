import { GraphQLError } from 'graphql';
import { RateLimiter } from '@shop/rate-limit';
import type { Redis } from '@shop/redis';
import type { GatewayContext } from './context.ts';

/**
 * Requests per client per minute, shared by every gateway instance through Redis: signed-in
 * callers are counted per user (many users behind one NAT are not punished together), others per
 * IP address. Returns null when disabled (limit 0).
 */
export function clientRateLimit(redis: Redis, perMinute: number, keyPrefix: string) {
  if (perMinute <= 0) return null;
  const limiter = new RateLimiter(redis, {
    name: 'gateway-client',
    limit: perMinute,
    periodSeconds: 60,
    keyPrefix,
  });
  return async (caller: GatewayContext): Promise<void> => {
    const key = caller.identity
      ? `user:${caller.identity.userId}`
      : caller.clientAddress
        ? `ip:${caller.clientAddress}`
        : null;
    if (!key) return;
    const outcome = await limiter.consume(key);
    if (outcome.allowed) return;
    // Apollo sends `http.headers` (a Map) as response headers; typed loosely because another
    // package in the workspace augments GraphQLErrorExtensions with a different `http` shape.
    const extensions: Record<string, unknown> = {
      code: 'RATE_LIMITED',
      retryAfter: outcome.retryAfterSeconds,
      http: { status: 429, headers: new Map([['retry-after', String(outcome.retryAfterSeconds)]]) },
    };
    throw new GraphQLError(`Too many requests; retry in ${outcome.retryAfterSeconds} s`, {
      extensions,
    });
  };
}
