import type { PrismaClient } from '@shop/prisma/order';
import type { BaseSubgraphContext } from '@shop/subgraph-kit';

export interface OrderContext extends BaseSubgraphContext {
  prisma: PrismaClient;
}
