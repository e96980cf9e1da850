import { createCatalogPrisma, type PrismaClient } from '@shop/prisma/catalog';
import {
  indexState,
  PRODUCTS_INDEX,
  REVIEWS_INDEX,
  reindexProducts,
  reindexReviews,
  reindexSellers,
  SELLERS_INDEX,
  toProductDocument,
  toReviewDocument,
  toSellerDocument,
  type SearchClient,
} from '@shop/search-client';

/** Products in the search alias, 0 when the alias does not exist yet. */
export async function indexedProductCount(search: SearchClient, prefix: string): Promise<number> {
  return (await indexState(search, PRODUCTS_INDEX, prefix)).count;
}

/**
 * True when a search index is missing, empty or built with an older mapping while the catalog
 * has rows for it: then the indices are rebuilt from the catalog.
 */
export async function searchIndicesNeedRebuild(
  search: SearchClient,
  prefix: string,
): Promise<boolean> {
  const states = await Promise.all(
    [PRODUCTS_INDEX, SELLERS_INDEX, REVIEWS_INDEX].map((d) => indexState(search, d, prefix)),
  );
  return states.some((s) => !s.current || s.count === 0);
}

const BATCH = 5000;

/** Reads a table in id order, BATCH rows at a time, so 100k+ rows never sit in memory at once. */
async function* byIdBatches<T extends { id: string }>(
  read: (after: string | undefined, take: number) => Promise<T[]>,
): AsyncGenerator<T[]> {
  let after: string | undefined;
  for (;;) {
    const rows = await read(after, BATCH);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < BATCH) return;
    after = rows.at(-1)!.id;
  }
}

const afterId = (after: string | undefined) => (after ? { id: { gt: after } } : {});

export interface RebuildResult {
  index: string;
  count: number;
  sellers: number;
  reviews: number;
}

/** Rebuilds the product, seller and review indices from the catalog with alias swaps. */
export async function rebuildSearchIndicesFrom(
  catalog: PrismaClient,
  search: SearchClient,
  prefix: string,
): Promise<RebuildResult> {
  const [categories, sellers] = await Promise.all([
    catalog.category.findMany(),
    catalog.seller.findMany({ orderBy: { id: 'asc' } }),
  ]);
  const categoryMap = new Map(categories.map((c) => [c.id, c]));
  const sellerMap = new Map(sellers.map((s) => [s.id, s]));
  const products = await reindexProducts(
    search,
    prefix,
    (async function* () {
      for await (const rows of byIdBatches((after, take) =>
        // Soft-deleted products stay in the catalog for orders but never return to search.
        catalog.product.findMany({
          where: { ...afterId(after), deletedAt: null },
          orderBy: { id: 'asc' },
          take,
        }),
      ))
        yield rows.map((p) => toProductDocument(p, categoryMap, sellerMap.get(p.sellerId)!));
    })(),
  );
  const sellerResult = await reindexSellers(search, prefix, [sellers.map(toSellerDocument)]);
  const reviews = await reindexReviews(
    search,
    prefix,
    (async function* () {
      for await (const rows of byIdBatches((after, take) =>
        catalog.review.findMany({
          where: { ...afterId(after), product: { deletedAt: null } },
          orderBy: { id: 'asc' },
          take,
          include: { product: { select: { name: true } } },
        }),
      ))
        yield rows.map((r) => toReviewDocument(r, r.product));
    })(),
  );
  return {
    index: products.index,
    count: products.count,
    sellers: sellerResult.count,
    reviews: reviews.count,
  };
}

/**
 * Rebuilds the search indices from the catalog database (the source of truth), for a search
 * engine that lost its data or a new mapping.
 */
export async function rebuildSearchIndex(catalogUrl: string, search: SearchClient, prefix: string) {
  const catalog = createCatalogPrisma(catalogUrl);
  try {
    return await rebuildSearchIndicesFrom(catalog, search, prefix);
  } finally {
    await catalog.$disconnect();
  }
}
