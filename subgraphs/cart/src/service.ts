import type { Logger } from '@shop/logging';
import { createCartPrisma } from '@shop/prisma/cart';
import { connectDatabase } from '@shop/prisma/reachable';
import { connectRedis } from '@shop/redis';
import { SubgraphClient } from '@shop/subgraph-client';
import { readSchema, startSubgraph, type RunningSubgraph } from '@shop/subgraph-kit';
import type { CartConfig } from './config.ts';
import type { CartContext } from './context.ts';
import { CartCache, cartCacheNamespace } from './data/cart-cache.ts';
import { catalogProducts } from './data/catalog.ts';
import { resolvers } from './resolvers/index.ts';

export const cartTypeDefs = readSchema(new URL('../schema.graphql', import.meta.url));

export async function startCartService(
  config: CartConfig,
  logger: Logger,
): Promise<RunningSubgraph> {
  const prisma = await connectDatabase(createCartPrisma(config.DATABASE_URL), 'cart');
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
  return startSubgraph<CartContext>({
    name: 'cart',
    typeDefs: cartTypeDefs,
    resolvers,
    config,
    logger,
    probes: {
      postgres: () => prisma.$queryRaw`SELECT 1`,
      redis: () => redis.ping(),
    },
    context: (base) => ({ ...base, prisma, cache, products: catalogProducts(catalog) }),
    onShutdown: async () => {
      catalog.close();
      redis.disconnect();
      await prisma.$disconnect();
    },
  });
}
