import type { Logger } from '@shop/logging';
import { createUserPrisma } from '@shop/prisma/user';
import { connectDatabase } from '@shop/prisma/reachable';
import { readSchema, startSubgraph, type RunningSubgraph } from '@shop/subgraph-kit';
import type { UserConfig } from './config.ts';
import type { UserContext } from './context.ts';
import { createUserLoader } from './data/loaders.ts';
import { resolvers } from './resolvers/index.ts';

export const userTypeDefs = readSchema(new URL('../schema.graphql', import.meta.url));

export async function startUserService(
  config: UserConfig,
  logger: Logger,
): Promise<RunningSubgraph> {
  const prisma = await connectDatabase(createUserPrisma(config.DATABASE_URL), 'user');
  return startSubgraph<UserContext>({
    name: 'user',
    typeDefs: userTypeDefs,
    resolvers,
    config,
    logger,
    probes: { postgres: () => prisma.$queryRaw`SELECT 1` },
    context: (base) => ({ ...base, prisma, users: createUserLoader(prisma) }),
    onShutdown: () => prisma.$disconnect(),
  });
}
