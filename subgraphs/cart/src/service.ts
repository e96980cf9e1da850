import { readFileSync } from 'node:fs';
import { gql } from 'graphql-tag';
import type { Logger } from '@shop/logging';
import { createCartPrisma } from '@shop/prisma/cart';
import { assertDatabaseReachable } from '@shop/prisma/reachable';
import { startSubgraph, type RunningSubgraph } from '@shop/subgraph-kit';
import type { CartConfig } from './config.ts';
import type { CartContext } from './context.ts';
import { resolvers } from './resolvers/index.ts';

export const cartTypeDefs = gql(
  readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'),
);

export async function startCartService(
  config: CartConfig,
  logger: Logger,
): Promise<RunningSubgraph> {
  const prisma = createCartPrisma(config.DATABASE_URL);
  await assertDatabaseReachable(prisma, 'DATABASE_URL', 'cart');
  return startSubgraph<CartContext>({
    name: 'cart',
    typeDefs: cartTypeDefs,
    resolvers,
    host: config.HOST,
    port: config.PORT,
    internalAuthSecret: config.INTERNAL_AUTH_SECRET,
    logger,
    probes: { postgres: () => prisma.$queryRaw`SELECT 1` },
    context: (base) => ({ ...base, prisma }),
    onShutdown: () => prisma.$disconnect(),
  });
}
