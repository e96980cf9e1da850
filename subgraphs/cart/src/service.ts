import type { Logger } from '@shop/logging';
import { pgPool } from '@shop/prisma/pg-pool';
import { connectDatabase } from '@shop/prisma/reachable';
import { connectRedis } from '@shop/redis';
import { DiscountCodeAttempts } from './data/code-attempts.ts';
import { SubgraphClient } from '@shop/subgraph-client';
import { readSchema, startSubgraph, type RunningSubgraph } from '@shop/subgraph-kit';
import type { CartConfig } from './config.ts';
import type { CartContext } from './context.ts';
import { CartCache, cartCacheNamespace } from './data/cart-cache.ts';
import { userAddressBook } from './data/address-book.ts';
import { catalogProducts } from './data/catalog.ts';
import { orderCheckoutPricing } from './data/checkout-pricing.ts';
import { cartCheckoutStore } from './data/checkouts.ts';
import { resolvers } from './resolvers/index.ts';

export const cartTypeDefs = readSchema(new URL('../schema.graphql', import.meta.url));

export async function startCartService(
  config: CartConfig,
  logger: Logger,
): Promise<RunningSubgraph> {
  const db = await connectDatabase(pgPool(config.DATABASE_URL), 'cart');
  const redis = await connectRedis(config.REDIS_URL, 'REDIS_URL');
  const cache = new CartCache(
    redis,
    {
      ttlSeconds: config.CART_CACHE_TTL_SECONDS,
      namespace: cartCacheNamespace(config.DATABASE_URL),
    },
    logger,
  );
  const catalog = new SubgraphClient({
    service: 'catalog',
    url: config.CATALOG_URL,
    timeoutMs: config.CATALOG_TIMEOUT_MS,
  });
  // Called on the customer's behalf, so their identity is signed with the internal secret.
  const peer = {
    timeoutMs: config.PEER_TIMEOUT_MS,
    internalAuthSecret: config.INTERNAL_AUTH_SECRET,
  };
  const user = new SubgraphClient({ service: 'user', url: config.USER_URL, ...peer });
  const order = new SubgraphClient({ service: 'order', url: config.ORDER_URL, ...peer });
  const pricing = orderCheckoutPricing(order);
  const codeAttempts = new DiscountCodeAttempts(redis, {
    attempts: config.DISCOUNT_CODE_ATTEMPTS,
    windowSeconds: config.DISCOUNT_CODE_WINDOW_SECONDS,
    keyPrefix: config.RATE_LIMIT_KEY_PREFIX,
  });
  const checkout = {
    store: cartCheckoutStore(db),
    pricing,
    addresses: userAddressBook(user),
  };
  return startSubgraph<CartContext>({
    name: 'cart',
    typeDefs: cartTypeDefs,
    resolvers,
    config,
    logger,
    probes: {
      postgres: () => db.query('SELECT 1'),
      redis: () => redis.ping(),
    },
    context: (base) => ({
      ...base,
      db,
      cache,
      products: catalogProducts(catalog),
      pricing,
      checkout,
      codeAttempts,
    }),
    onShutdown: async () => {
      catalog.close();
      user.close();
      order.close();
      redis.disconnect();
      await db.end();
    },
  });
}
