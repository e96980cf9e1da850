import type DataLoader from 'dataloader';
import type { AccessTokenSigner } from '@shop/auth';
import type { PrismaClient, User } from '@shop/prisma/user';
import type { Redis } from '@shop/redis';
import type { BaseSubgraphContext } from '@shop/subgraph-kit';
import type { UserConfig } from './config.ts';

export interface UserContext extends BaseSubgraphContext {
  prisma: PrismaClient;
  redis: Redis;
  signer: AccessTokenSigner;
  config: UserConfig;
  users: DataLoader<string, User | null>;
}
