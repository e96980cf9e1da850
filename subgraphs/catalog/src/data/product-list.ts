import { Prisma, type PrismaClient } from '@shop/prisma/catalog';
import { containsPattern, type ProductFilter } from '../domain/product-filter.ts';
import type { ProductSort, SortKey } from '../domain/product-sort.ts';

const { sql, join, empty } = Prisma;

/** The category and all its descendants (the tree is a few hundred rows at most). */
async function categorySubtree(prisma: PrismaClient, categoryId: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    WITH RECURSIVE sub(id) AS (
      SELECT id FROM categories WHERE id = ${categoryId}::uuid
      UNION ALL SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id
    ) SELECT id FROM sub`;
  return rows.map((r) => r.id);
}

/**
 * SQL conditions of a validated filter (all AND-ed). The category subtree comes as a list of
 * ids rather than a sub-query: with literal ids PostgreSQL estimates the share of matching rows
 * from its statistics and picks the right plan (a recursive CTE estimate misleads it into
 * walking the whole price index for an expensive category: 100 ms instead of a few at 100k).
 */
function filterConditions(filter: ProductFilter, categoryIds: string[] | null): Prisma.Sql[] {
  // Soft-deleted products stay for the orders that refer to them but are never listed.
  const where: Prisma.Sql[] = [sql`p.deleted_at IS NULL`];
  if (categoryIds) where.push(sql`p.category_id = ANY(${categoryIds}::uuid[])`);
  if (filter.sellerId) where.push(sql`p.seller_id = ${filter.sellerId}::uuid`);
  if (filter.minPrice) where.push(sql`p.price >= ${filter.minPrice}::numeric`);
  if (filter.maxPrice) where.push(sql`p.price <= ${filter.maxPrice}::numeric`);
  if (filter.inStock === true) where.push(sql`p.stock > 0`);
  if (filter.inStock === false) where.push(sql`p.stock = 0`);
  // Served by the trigram GIN index products_text_trgm_idx on this exact expression.
  for (const word of filter.words ?? [])
    where.push(sql`(p.name || ' ' || p.description) ILIKE ${containsPattern(word)}`);
  return where;
}

const RATING = sql`COALESCE(p.rating_avg, 0)`;

/** ORDER BY of each sort; every one ends with the id, so the order is total and pages are stable. */
const ORDER: Record<ProductSort, Prisma.Sql> = {
  PRICE_ASC: sql`p.price ASC, p.id ASC`,
  PRICE_DESC: sql`p.price DESC, p.id DESC`,
  NEWEST: sql`p.created_at DESC, p.id DESC`,
  RATING: sql`${RATING} DESC, p.rating_count DESC, p.id DESC`,
  NAME: sql`p.name ASC, p.id ASC`,
};

/** Rows strictly after the cursor, as one row comparison the matching index can range-scan. */
function afterCondition(key: SortKey): Prisma.Sql {
  switch (key.sort) {
    case 'PRICE_ASC':
      return sql`(p.price, p.id) > (${key.price}::numeric, ${key.id}::uuid)`;
    case 'PRICE_DESC':
      return sql`(p.price, p.id) < (${key.price}::numeric, ${key.id}::uuid)`;
    case 'NEWEST':
      return sql`(p.created_at, p.id) < (${key.createdAt}::timestamptz, ${key.id}::uuid)`;
    case 'RATING':
      return sql`(${RATING}, p.rating_count, p.id) < (${key.rating}::float8, ${key.count}::int, ${key.id}::uuid)`;
    case 'NAME':
      return sql`(p.name, p.id) > (${key.name}, ${key.id}::uuid)`;
  }
}

const whereClause = (conditions: Prisma.Sql[]) =>
  conditions.length ? sql`WHERE ${join(conditions, ' AND ')}` : empty;

export interface ProductIdPage {
  /** Up to limit + 1 ids in list order (the extra one only tells that a next page exists). */
  ids: string[];
  totalCount: number;
}

/**
 * One page of product ids for a filter and sort: two SQL queries (the page and the count), plus
 * one for the category subtree when filtering by category.
 */
export async function listProductIds(
  prisma: PrismaClient,
  params: { filter: ProductFilter; sort: ProductSort; after: SortKey | null; limit: number },
): Promise<ProductIdPage> {
  const categoryIds = params.filter.categoryId
    ? await categorySubtree(prisma, params.filter.categoryId)
    : null;
  if (categoryIds?.length === 0) return { ids: [], totalCount: 0 };
  const conditions = filterConditions(params.filter, categoryIds);
  const pageConditions = params.after ? [...conditions, afterCondition(params.after)] : conditions;
  const [rows, count] = await Promise.all([
    prisma.$queryRaw<{ id: string }[]>`
      SELECT p.id FROM products p ${whereClause(pageConditions)}
      ORDER BY ${ORDER[params.sort]} LIMIT ${params.limit + 1}`,
    prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM products p ${whereClause(conditions)}`,
  ]);
  return { ids: rows.map((r) => r.id), totalCount: count[0]?.n ?? 0 };
}
