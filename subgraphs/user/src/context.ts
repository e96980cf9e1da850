import type DataLoader from 'dataloader';
import type { PrismaClient, User } from '@shop/prisma/user';
import type { BaseSubgraphContext } from '@shop/subgraph-kit';

export interface UserContext extends BaseSubgraphContext {
  prisma: PrismaClient;
  users: DataLoader<string, User | null>;
}
