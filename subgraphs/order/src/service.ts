import { readFileSync } from 'node:fs';
import { gql } from 'graphql-tag';
import type { Logger } from '@shop/logging';
import { createOrderPrisma } from '@shop/prisma/order';
import { assertDatabaseReachable } from '@shop/prisma/reachable';
import { startSubgraph, type RunningSubgraph } from '@shop/subgraph-kit';
import type { OrderConfig } from './config.ts';
import type { OrderContext } from './context.ts';
import { resolvers } from './resolvers/index.ts';

export const orderTypeDefs = gql(
  readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'),
);

export async function startOrderService(
  config: OrderConfig,
  logger: Logger,
): Promise<RunningSubgraph> {
  const prisma = createOrderPrisma(config.DATABASE_URL);
  await assertDatabaseReachable(prisma, 'DATABASE_URL', 'order');
  return startSubgraph<OrderContext>({
    name: 'order',
    typeDefs: orderTypeDefs,
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
