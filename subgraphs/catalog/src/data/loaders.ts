import DataLoader from 'dataloader';
import type pg from 'pg';
import {
  Prisma,
  type Category,
  type PrismaClient,
  type Product,
  type Review,
  type Seller,
} from '@shop/prisma/catalog';

/** The catalog database for plain SQL (a pg pool, or anything that queries like one). */
export type CatalogDb = Pick<pg.Pool, 'query'>;

/**
 * Products and categories are read in plain SQL through pg: every order placement and every
 * cart view resolves its products and their categories here, and a Prisma model query cost
 * several times the CPU of the same statement (prisma/src/pg-pool.ts). The rows keep the
 * shapes of the Prisma client's types, so the resolvers do not tell the two apart.
 */
const PRODUCT_COLUMNS = `id, sku, name, description, price::text AS price, currency, stock, attributes,
  images, weight_grams AS "weightGrams", tax_class AS "taxClass", category_id AS "categoryId",
  seller_id AS "sellerId", rating_avg AS "ratingAvg", rating_count AS "ratingCount",
  created_at AS "createdAt", updated_at AS "updatedAt", deleted_at AS "deletedAt"`;
const CATEGORY_COLUMNS = `id, slug, name, description, parent_id AS "parentId", created_at AS "createdAt"`;

async function productsById(db: CatalogDb, ids: string[]): Promise<Product[]> {
  const { rows } = await db.query<Omit<Product, 'price'> & { price: string }>(
    `SELECT ${PRODUCT_COLUMNS} FROM products WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return rows.map((row) => ({ ...row, price: new Prisma.Decimal(row.price) }));
}

async function categoriesById(db: CatalogDb, ids: string[]): Promise<Category[]> {
  const { rows } = await db.query<Category>(
    `SELECT ${CATEGORY_COLUMNS} FROM categories WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return rows;
}

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
export function createLoaders(prisma: PrismaClient, db: CatalogDb): CatalogLoaders {
  return {
    product: byId((ids) => productsById(db, ids)),
    category: byId((ids) => categoriesById(db, ids)),
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
      const found = await ancestorsOf(db, [...ids]);
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
async function ancestorsOf(db: CatalogDb, ids: string[]): Promise<Map<string, string[]>> {
  const { rows } = await db.query<{ start: string; ancestor: string }>(
    `WITH RECURSIVE up(start, ancestor, depth) AS (
      SELECT id, parent_id, 1 FROM categories
      WHERE id = ANY($1::uuid[]) AND parent_id IS NOT NULL
      UNION ALL
      SELECT up.start, c.parent_id, up.depth + 1 FROM up JOIN categories c ON c.id = up.ancestor
      WHERE c.parent_id IS NOT NULL AND up.depth < $2
    ) SELECT start::text AS start, ancestor::text AS ancestor FROM up ORDER BY start, depth`,
    [ids, MAX_CATEGORY_DEPTH],
  );
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
