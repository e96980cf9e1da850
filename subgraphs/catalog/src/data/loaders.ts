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
  /** Ids of each category's ancestors, nearest first (empty for a top-level category). */
  ancestorIds: DataLoader<string, string[]>;
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
    ancestorIds: new DataLoader(async (ids) => {
      const found = await ancestorsOf(prisma, [...ids]);
      return ids.map((id) => found.get(id) ?? []);
    }),
  };
}

/** Most levels a walk up the tree takes: a guard against a cycle, far above any real depth. */
const MAX_CATEGORY_DEPTH = 32;

/**
 * The ancestors of every given category, nearest first, in ONE recursive query however many
 * categories and levels there are (categories without a parent are absent from the map).
 */
async function ancestorsOf(prisma: PrismaClient, ids: string[]): Promise<Map<string, string[]>> {
  const rows = await prisma.$queryRaw<{ start: string; ancestor: string }[]>`
    WITH RECURSIVE up(start, ancestor, depth) AS (
      SELECT id, parent_id, 1 FROM categories
      WHERE id = ANY(${ids}::uuid[]) AND parent_id IS NOT NULL
      UNION ALL
      SELECT up.start, c.parent_id, up.depth + 1 FROM up JOIN categories c ON c.id = up.ancestor
      WHERE c.parent_id IS NOT NULL AND up.depth < ${MAX_CATEGORY_DEPTH}
    ) SELECT start::text AS start, ancestor::text AS ancestor FROM up ORDER BY start, depth`;
  const ancestors = new Map<string, string[]>();
  for (const row of rows) {
    const list = ancestors.get(row.start);
    if (list) list.push(row.ancestor);
    else ancestors.set(row.start, [row.ancestor]);
  }
  return ancestors;
}

/** Loads ids in order, dropping unknown ones (a product deleted between list and fetch). */
export async function loadAll<T>(
  loader: DataLoader<string, T | null>,
  ids: string[],
): Promise<T[]> {
  const rows = await loader.loadMany(ids);
  return rows.filter((row): row is T => row !== null && !(row instanceof Error));
}
