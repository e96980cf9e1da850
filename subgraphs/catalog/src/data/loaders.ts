import DataLoader from 'dataloader';
import type { Category, PrismaClient, Product, Review, Seller } from '@shop/prisma/catalog';

/** Loads rows by id in one query per tick, in the order asked, null for unknown ids. */
function byId<T extends { id: string }>(fetch: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await fetch([...ids]);
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

export interface CatalogLoaders {
  product: DataLoader<string, Product | null>;
  category: DataLoader<string, Category | null>;
  seller: DataLoader<string, Seller | null>;
  review: DataLoader<string, Review | null>;
  /** Direct sub-categories of each parent id, by name. */
  children: DataLoader<string, Category[]>;
}

/** One set per request, so batching never mixes users and nothing is cached across requests. */
export function createLoaders(prisma: PrismaClient): CatalogLoaders {
  return {
    product: byId((ids) => prisma.product.findMany({ where: { id: { in: ids } } })),
    category: byId((ids) => prisma.category.findMany({ where: { id: { in: ids } } })),
    seller: byId((ids) => prisma.seller.findMany({ where: { id: { in: ids } } })),
    review: byId((ids) => prisma.review.findMany({ where: { id: { in: ids } } })),
    children: new DataLoader(async (parentIds) => {
      const rows = await prisma.category.findMany({
        where: { parentId: { in: [...parentIds] } },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      });
      return parentIds.map((id) => rows.filter((row) => row.parentId === id));
    }),
  };
}

/** Loads ids in order, dropping unknown ones (a product deleted between list and fetch). */
export async function loadAll<T>(
  loader: DataLoader<string, T | null>,
  ids: string[],
): Promise<T[]> {
  const rows = await loader.loadMany(ids);
  return rows.filter((row): row is T => row !== null && !(row instanceof Error));
}
