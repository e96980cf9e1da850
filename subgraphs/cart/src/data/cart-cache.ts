import { randomUUID } from 'node:crypto';
import type { Logger } from '@shop/logging';
import type { Redis } from '@shop/redis';
import type { CartLine } from '../domain/cart-rules.ts';

/**
 * Redis cache of each user's cart LINES (product id, quantity, added-at), read on every `cart`
 * query. Prices and stock are never cached here: they belong to the catalog and are read live.
 *
 * Correctness against the classic "slow reader writes back stale data" race uses a per-user
 * version token:
 * - a read takes the current token (creating one if there is none) BEFORE reading the
 *   database, and stores what it read only if the token is still the same (compare-and-set
 *   in one Lua script);
 * - every change commits to the database first and then replaces the token and deletes the
 *   cached lines.
 * So a reader that read the database before a change can never store its stale copy after
 * the change has invalidated. What is left: between a change's commit and its invalidation
 * (one Redis round trip) a concurrent reader may still see the previous lines, and if Redis
 * fails exactly then, stale lines live until the TTL ends; the TTL bounds that.
 *
 * Redis being down never fails a request: reads fall back to the database.
 */
export interface CartCacheOptions {
  ttlSeconds: number;
  /**
   * The cart database's name: keys are namespaced by the database they mirror, so two systems
   * sharing one Redis (a dev system and a test run) never read each other's carts, and every
   * writer of one cart database (the cart service, the worker that empties carts after an
   * order) agrees on the keys.
   */
  namespace: string;
}

/** The namespace of a cart database's cache entries: the database's name. */
export const cartCacheNamespace = (databaseUrl: string) => new URL(databaseUrl).pathname.slice(1);

const TOKEN_TTL_SECONDS = 24 * 3600;
const keysIn = (namespace: string, userId: string) =>
  [`${namespace}:cart:{${userId}}:token`, `${namespace}:cart:{${userId}}:lines`] as const;

/** KEYS: token, lines. ARGV: fresh token. Returns [token, lines-json-or-false]. */
const READ = `
local token = redis.call('GET', KEYS[1])
if not token then
  token = ARGV[1]
  redis.call('SET', KEYS[1], token, 'EX', ${TOKEN_TTL_SECONDS})
end
local cached = redis.call('GET', KEYS[2])
if cached then
  local sep = string.find(cached, '|', 1, true)
  if sep and string.sub(cached, 1, sep - 1) == token then
    return { token, string.sub(cached, sep + 1) }
  end
end
return { token, false }`;

/** KEYS: token, lines. ARGV: token read before the database, lines json, ttl. */
const STORE_IF_CURRENT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[1] .. '|' .. ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0`;

interface StoredLine {
  p: string;
  q: number;
  a: string;
}

export class CartCache {
  constructor(
    private readonly redis: Redis,
    private readonly options: CartCacheOptions,
    private readonly logger: Logger,
  ) {}

  /** The user's lines from the cache, or from `load` (then cached if nothing changed meanwhile). */
  async lines(userId: string, load: () => Promise<CartLine[]>): Promise<CartLine[]> {
    const [tokenKey, linesKey] = keysIn(this.options.namespace, userId);
    let token: string;
    try {
      const [current, cached] = (await this.redis.eval(
        READ,
        2,
        tokenKey,
        linesKey,
        randomUUID(),
      )) as [string, string | null];
      if (cached) return decode(cached);
      token = current;
    } catch (error) {
      this.logger.warn({ err: error }, 'cart cache read failed; reading the database');
      return load();
    }
    const lines = await load();
    try {
      await this.redis.eval(
        STORE_IF_CURRENT,
        2,
        tokenKey,
        linesKey,
        token,
        encode(lines),
        this.options.ttlSeconds,
      );
    } catch (error) {
      this.logger.warn({ err: error }, 'cart cache store failed');
    }
    return lines;
  }

  /** Call after every committed change of the user's cart. */
  async invalidate(userId: string): Promise<void> {
    const [tokenKey, linesKey] = keysIn(this.options.namespace, userId);
    try {
      await this.redis
        .multi()
        .set(tokenKey, randomUUID(), 'EX', TOKEN_TTL_SECONDS)
        .del(linesKey)
        .exec();
    } catch (error) {
      this.logger.error(
        { err: error, userId },
        `cart cache invalidation failed; cached lines may be stale for up to ${this.options.ttlSeconds}s`,
      );
    }
  }
}

function encode(lines: CartLine[]): string {
  return JSON.stringify(
    lines.map((l): StoredLine => ({ p: l.productId, q: l.quantity, a: l.addedAt.toISOString() })),
  );
}

function decode(json: string): CartLine[] {
  return (JSON.parse(json) as StoredLine[]).map((l) => ({
    productId: l.p,
    quantity: l.q,
    addedAt: new Date(l.a),
  }));
}
