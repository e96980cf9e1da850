import type { PrismaClient } from '@shop/prisma/cart';
import type { BaseSubgraphContext } from '@shop/subgraph-kit';

export interface CartContext extends BaseSubgraphContext {
  prisma: PrismaClient;
}
