import type { Logger } from '@shop/logging';
import { createOrderPrisma } from '@shop/prisma/order';
import { connectDatabase } from '@shop/prisma/reachable';
import { readSchema, startSubgraph, type RunningSubgraph } from '@shop/subgraph-kit';
import type { OrderConfig } from './config.ts';
import type { OrderContext } from './context.ts';
import { resolvers } from './resolvers/index.ts';

export const orderTypeDefs = readSchema(new URL('../schema.graphql', import.meta.url));

export async function startOrderService(
  config: OrderConfig,
  logger: Logger,
): Promise<RunningSubgraph> {
  const prisma = await connectDatabase(createOrderPrisma(config.DATABASE_URL), 'order');
  return startSubgraph<OrderContext>({
    name: 'order',
    typeDefs: orderTypeDefs,
    resolvers,
    config,
    logger,
    probes: { postgres: () => prisma.$queryRaw`SELECT 1` },
    context: (base) => ({ ...base, prisma }),
    onShutdown: () => prisma.$disconnect(),
  });
}
