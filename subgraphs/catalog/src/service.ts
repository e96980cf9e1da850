import { readFileSync } from 'node:fs';
import { gql } from 'graphql-tag';
import type { Logger } from '@shop/logging';
import { createCatalogPrisma } from '@shop/prisma/catalog';
import { startSubgraph, type RunningSubgraph } from '@shop/subgraph-kit';
import { assertDatabaseReachable } from '@shop/prisma/reachable';
import type { CatalogConfig } from './config.ts';
import type { CatalogContext } from './context.ts';
import { createLoaders } from './data/loaders.ts';
import { resolvers } from './resolvers/index.ts';

export const catalogTypeDefs = gql(
  readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'),
);

/** Starts the catalog subgraph; fails fast with the setting to check when the database is unreachable. */
export async function startCatalogService(
  config: CatalogConfig,
  logger: Logger,
): Promise<RunningSubgraph> {
  const prisma = createCatalogPrisma(config.DATABASE_URL);
  await assertDatabaseReachable(prisma, 'DATABASE_URL', 'catalog');
  return startSubgraph<CatalogContext>({
    name: 'catalog',
    typeDefs: catalogTypeDefs,
    resolvers,
    host: config.HOST,
    port: config.PORT,
    internalAuthSecret: config.INTERNAL_AUTH_SECRET,
    logger,
    probes: { postgres: () => prisma.$queryRaw`SELECT 1` },
    context: (base) => ({ ...base, prisma, loaders: createLoaders(prisma) }),
    onShutdown: () => prisma.$disconnect(),
  });
}
