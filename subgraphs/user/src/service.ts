import { readFileSync } from 'node:fs';
import { gql } from 'graphql-tag';
import type { Logger } from '@shop/logging';
import { createUserPrisma } from '@shop/prisma/user';
import { assertDatabaseReachable } from '@shop/prisma/reachable';
import { startSubgraph, type RunningSubgraph } from '@shop/subgraph-kit';
import type { UserConfig } from './config.ts';
import type { UserContext } from './context.ts';
import { createUserLoader } from './data/loaders.ts';
import { resolvers } from './resolvers/index.ts';

export const userTypeDefs = gql(
  readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'),
);

export async function startUserService(
  config: UserConfig,
  logger: Logger,
): Promise<RunningSubgraph> {
  const prisma = createUserPrisma(config.DATABASE_URL);
  await assertDatabaseReachable(prisma, 'DATABASE_URL', 'user');
  return startSubgraph<UserContext>({
    name: 'user',
    typeDefs: userTypeDefs,
    resolvers,
    host: config.HOST,
    port: config.PORT,
    internalAuthSecret: config.INTERNAL_AUTH_SECRET,
    logger,
    probes: { postgres: () => prisma.$queryRaw`SELECT 1` },
    context: (base) => ({ ...base, prisma, users: createUserLoader(prisma) }),
    onShutdown: () => prisma.$disconnect(),
  });
}
