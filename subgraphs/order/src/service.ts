import type { Logger } from '@shop/logging';
import { createOrderPrisma } from '@shop/prisma/order';
import { connectDatabase } from '@shop/prisma/reachable';
import { connectRedis } from '@shop/redis';
import pg from 'pg';
import { SubgraphClient } from '@shop/subgraph-client';
import { createServiceMetrics, orderFunnel } from '@shop/observability';
import { admission, readSchema, startSubgraph, type RunningSubgraph } from '@shop/subgraph-kit';
import type { OrderConfig } from './config.ts';
import type { OrderContext } from './context.ts';
import { catalogFacts } from './data/peers.ts';
import { OrderUpdates } from './events/order-updates.ts';
import { resolvers } from './resolvers/index.ts';

export const orderTypeDefs = readSchema(new URL('../schema.graphql', import.meta.url));

export async function startOrderService(
  config: OrderConfig,
  logger: Logger,
): Promise<RunningSubgraph> {
  const prisma = await connectDatabase(createOrderPrisma(config.DATABASE_URL), 'order');
  // Placements take one connection each, for one statement: as many as may run at once, and a
  // few more for the reads of whole orders (live tracking, entity references, cancels), which
  // must not wait behind a full admission queue.
  const db = new pg.Pool({
    connectionString: config.DATABASE_URL,
    max: config.PLACE_ORDER_CONCURRENCY + 4,
  });
  const catalog = new SubgraphClient({
    service: 'catalog',
    url: config.CATALOG_URL,
    timeoutMs: config.PEER_TIMEOUT_MS,
    internalAuthSecret: config.INTERNAL_AUTH_SECRET,
  });
  const cart = new SubgraphClient({
    service: 'cart',
    url: config.CART_URL,
    timeoutMs: config.PEER_TIMEOUT_MS,
    internalAuthSecret: config.INTERNAL_AUTH_SECRET,
  });
  const user = new SubgraphClient({
    service: 'user',
    url: config.USER_URL,
    timeoutMs: config.PEER_TIMEOUT_MS,
    internalAuthSecret: config.INTERNAL_AUTH_SECRET,
  });
  const redis = await connectRedis(config.REDIS_URL, 'REDIS_URL');
  const subscriber = redis.duplicate();
  await subscriber.connect();
  const orderUpdates = new OrderUpdates(redis, subscriber, logger);
  const placements = admission('placeOrder', {
    concurrency: config.PLACE_ORDER_CONCURRENCY,
    queue: config.PLACE_ORDER_QUEUE,
  });
  const metrics = createServiceMetrics('order');
  const funnel = orderFunnel(metrics.registry);
  return startSubgraph<OrderContext>({
    name: 'order',
    metrics,
    typeDefs: orderTypeDefs,
    resolvers,
    config,
    logger,
    probes: { postgres: () => prisma.$queryRaw`SELECT 1`, redis: () => redis.ping() },
    context: (base) => ({
      ...base,
      prisma,
      db,
      cart,
      catalog,
      user,
      products: catalogFacts(catalog),
      orderUpdates,
      placements,
      returnWindowDays: config.RETURN_WINDOW_DAYS,
      funnel,
    }),
    onShutdown: async () => {
      catalog.close();
      cart.close();
      user.close();
      await prisma.$disconnect();
      await db.end();
      orderUpdates.close();
      redis.disconnect();
    },
  });
}
