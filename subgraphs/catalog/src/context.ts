import type { PrismaClient } from '@shop/prisma/catalog';
import type { BaseSubgraphContext } from '@shop/subgraph-kit';
import type { CatalogLoaders } from './data/loaders.ts';

export interface CatalogContext extends BaseSubgraphContext {
  prisma: PrismaClient;
  loaders: CatalogLoaders;
}
