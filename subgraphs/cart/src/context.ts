import type DataLoader from 'dataloader';
import type { PrismaClient } from '@shop/prisma/cart';
import type { BaseSubgraphContext } from '@shop/subgraph-kit';
import type { CartCache } from './data/cart-cache.ts';
import type { CatalogProduct } from './data/catalog.ts';

export interface CartContext extends BaseSubgraphContext {
  prisma: PrismaClient;
  cache: CartCache;
  /** Per request: catalog products by id, all ids of one tick in one `_entities` call. */
  products: DataLoader<string, CatalogProduct | null>;
}
