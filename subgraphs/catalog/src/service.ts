import type { Logger } from '@shop/logging';
import { createCatalogPrisma } from '@shop/prisma/catalog';
import { readSchema, startSubgraph, type RunningSubgraph } from '@shop/subgraph-kit';
import { connectDatabase } from '@shop/prisma/reachable';
import type { CatalogConfig } from './config.ts';
import type { CatalogContext } from './context.ts';
import { createLoaders } from './data/loaders.ts';
import { resolvers } from './resolvers/index.ts';

export const catalogTypeDefs = readSchema(new URL('../schema.graphql', import.meta.url));

export interface CatalogServiceOptions {
  /** Sees every SQL statement the service sends (tests count them to prove batching). */
  onSqlQuery?: (event: { query: string; durationMs: number }) => void;
}

/** Starts the catalog subgraph; fails fast with the setting to check when the database is unreachable. */
export async function startCatalogService(
  config: CatalogConfig,
  logger: Logger,
  options: CatalogServiceOptions = {},
): Promise<RunningSubgraph> {
  const prisma = await connectDatabase(
    createCatalogPrisma(config.DATABASE_URL, { onQuery: options.onSqlQuery }),
    'catalog',
  );
  return startSubgraph<CatalogContext>({
    name: 'catalog',
    typeDefs: catalogTypeDefs,
    resolvers,
    config,
    logger,
    probes: { postgres: () => prisma.$queryRaw`SELECT 1` },
    context: (base) => ({ ...base, prisma, loaders: createLoaders(prisma) }),
    onShutdown: () => prisma.$disconnect(),
  });
}
