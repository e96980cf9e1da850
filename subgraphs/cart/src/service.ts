import type { Logger } from '@shop/logging';
import { createCartPrisma } from '@shop/prisma/cart';
import { connectDatabase } from '@shop/prisma/reachable';
import { readSchema, startSubgraph, type RunningSubgraph } from '@shop/subgraph-kit';
import type { CartConfig } from './config.ts';
import type { CartContext } from './context.ts';
import { resolvers } from './resolvers/index.ts';

export const cartTypeDefs = readSchema(new URL('../schema.graphql', import.meta.url));

export async function startCartService(
  config: CartConfig,
  logger: Logger,
): Promise<RunningSubgraph> {
  const prisma = await connectDatabase(createCartPrisma(config.DATABASE_URL), 'cart');
  return startSubgraph<CartContext>({
    name: 'cart',
    typeDefs: cartTypeDefs,
    resolvers,
    config,
    logger,
    probes: { postgres: () => prisma.$queryRaw`SELECT 1` },
    context: (base) => ({ ...base, prisma }),
    onShutdown: () => prisma.$disconnect(),
  });
}
