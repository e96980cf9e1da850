import type { Logger } from '@shop/logging';
import { createCatalogPrisma } from '@shop/prisma/catalog';
import { readSchema, startSubgraph, type RunningSubgraph } from '@shop/subgraph-kit';
import { pgPool } from '@shop/prisma/pg-pool';
import { connectDatabase } from '@shop/prisma/reachable';
import type { CatalogConfig } from './config.ts';
import type { CatalogContext } from './context.ts';
import { createLoaders, type CatalogDb } from './data/loaders.ts';
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
  // The hot reads' pool (data/loaders.ts); its statements are reported like Prisma's.
  const pool = await connectDatabase(pgPool(config.DATABASE_URL, { max: 5 }), 'catalog');
  const report = options.onSqlQuery;
  const db: CatalogDb = report
    ? {
        query: ((text: string, values?: unknown[]) => {
          report({ query: text, durationMs: 0 });
          return pool.query(text, values);
        }) as CatalogDb['query'],
      }
    : pool;
  return startSubgraph<CatalogContext>({
    name: 'catalog',
    typeDefs: catalogTypeDefs,
    resolvers,
    config,
    logger,
    probes: { postgres: () => prisma.$queryRaw`SELECT 1` },
    context: (base) => ({ ...base, prisma, loaders: createLoaders(prisma, db) }),
    onShutdown: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  });
}
