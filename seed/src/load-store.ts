import { hash } from '@node-rs/argon2';
import { createCatalogPrisma, type PrismaClient } from '@shop/prisma/catalog';
import { createUserPrisma } from '@shop/prisma/user';
import {
  reindexProducts,
  reindexReviews,
  reindexSellers,
  toProductDocument,
  toReviewDocument,
  toSellerDocument,
  type SearchClient,
} from '@shop/search-client';
import type { ProductRow, ReviewRow, Store } from './generate-store.ts';
import { rebuildSearchIndex, searchIndicesNeedRebuild } from './rebuild-search-index.ts';

/** Every seeded account signs in with this password (documented in the README). */
export const SEED_PASSWORD = 'tackle-demo-1';

const CHUNK = 1000;

/** Writes rows in chunks, `parallel` chunks at a time (each chunk is one INSERT). */
async function inChunks<T>(
  rows: T[],
  write: (chunk: T[]) => Promise<unknown>,
  parallel = 4,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next; i < rows.length; i = next) {
      next += CHUNK;
      await write(rows.slice(i, i + CHUNK));
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/**
 * Bulk insert of one chunk as a single JSON parameter expanded by PostgreSQL
 * (json_populate_recordset): several times faster than createMany's thousands of bind
 * parameters at 100k products. Keys are the table's column names.
 */
function insertJsonRows(
  catalog: PrismaClient,
  table: 'products' | 'reviews',
  rows: Record<string, unknown>[],
) {
  return catalog.$executeRawUnsafe(
    `INSERT INTO ${table} SELECT * FROM json_populate_recordset(NULL::${table}, $1::json)`,
    JSON.stringify(rows),
  );
}

const productColumns = (p: ProductRow) => ({
  id: p.id,
  sku: p.sku,
  name: p.name,
  description: p.description,
  price: p.price,
  currency: p.currency,
  stock: p.stock,
  attributes: p.attributes,
  images: p.images,
  // Every column must be here: json_populate_recordset gives a missing one NULL, not its default.
  weight_grams: p.weightGrams,
  tax_class: p.taxClass,
  category_id: p.categoryId,
  seller_id: p.sellerId,
  rating_avg: p.ratingAvg,
  rating_count: p.ratingCount,
  created_at: p.createdAt,
  updated_at: p.createdAt,
});

const reviewColumns = (r: ReviewRow) => ({
  id: r.id,
  product_id: r.productId,
  user_id: r.userId,
  rating: r.rating,
  text: r.text,
  created_at: r.createdAt,
});

const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;

export interface LoadTargets {
  catalogUrl: string;
  userUrl: string;
  search: SearchClient;
  /** Prefix of the search indices (as SEARCH_INDEX_PREFIX). */
  indexPrefix: string;
}

/**
 * Writes a generated store into the catalog and user databases and rebuilds the search index.
 * Returns false without writing when the catalog already has products, unless `reset`.
 */
export async function loadStore(
  store: Store,
  targets: LoadTargets,
  options: { reset?: boolean; log?: (line: string) => void } = {},
) {
  const log = options.log ?? (() => {});
  const catalog = createCatalogPrisma(targets.catalogUrl);
  const users = createUserPrisma(targets.userUrl);
  try {
    if (!options.reset && (await catalog.product.count()) > 0) {
      log('catalog already has products; seed skipped (use --reset to replace them)');
      if (await searchIndicesNeedRebuild(targets.search, targets.indexPrefix)) {
        const rebuilt = await rebuildSearchIndex(
          targets.catalogUrl,
          targets.search,
          targets.indexPrefix,
        );
        log(
          `search: index was empty or outdated; ${rebuilt.count} products reindexed from the catalog into ${rebuilt.index} (${rebuilt.sellers} sellers, ${rebuilt.reviews} reviews)`,
        );
      }
      return false;
    }
    await catalog.$executeRawUnsafe(
      'TRUNCATE product_views, reviews, products, sellers, categories',
    );
    await users.$executeRawUnsafe('TRUNCATE users CASCADE');

    // The database and the search engine load in parallel: the indices are built from the
    // generated store in memory, not read back from the catalog.
    const loadDatabases = async () => {
      const started = performance.now();
      // One hash for all seed accounts: they share the documented demo password, and hashing
      // thousands of accounts one by one would only slow the seed down.
      const passwordHash = await hash(SEED_PASSWORD);
      await inChunks(store.users, (chunk) =>
        users.user.createMany({ data: chunk.map((u) => ({ ...u, passwordHash })) }),
      );
      const topLevel = store.categories.filter((c) => c.parentId === null);
      await catalog.category.createMany({ data: topLevel });
      await catalog.category.createMany({
        data: store.categories.filter((c) => c.parentId !== null),
      });
      await catalog.seller.createMany({ data: store.sellers });
      await inChunks(store.products, (chunk) =>
        insertJsonRows(catalog, 'products', chunk.map(productColumns)),
      );
      await inChunks(store.reviews, (chunk) =>
        insertJsonRows(catalog, 'reviews', chunk.map(reviewColumns)),
      );
      log(
        `catalog: ${store.categories.length} categories, ${store.sellers.length} sellers, ${store.products.length} products, ${store.reviews.length} reviews`,
      );
      log(`user: ${store.users.length} users (password "${SEED_PASSWORD}")`);
      log(`databases loaded in ${seconds(started)}`);
    };
    const loadSearch = async () => {
      const started = performance.now();
      const categories = new Map(store.categories.map((c) => [c.id, c]));
      const sellers = new Map(store.sellers.map((s) => [s.id, s]));
      const products = new Map(store.products.map((p) => [p.id, p]));
      const batches = <T, D>(rows: T[], toDoc: (row: T) => D) =>
        (function* () {
          for (let i = 0; i < rows.length; i += 5000) yield rows.slice(i, i + 5000).map(toDoc);
        })();
      const [indexed, , reviews] = await Promise.all([
        reindexProducts(
          targets.search,
          targets.indexPrefix,
          batches(store.products, (p) =>
            toProductDocument(p, categories, sellers.get(p.sellerId)!),
          ),
        ),
        reindexSellers(targets.search, targets.indexPrefix, [store.sellers.map(toSellerDocument)]),
        reindexReviews(
          targets.search,
          targets.indexPrefix,
          batches(store.reviews, (r) => toReviewDocument(r, products.get(r.productId)!)),
        ),
      ]);
      log(
        `search: ${indexed.count} products indexed into ${indexed.index}; ${store.sellers.length} sellers, ${reviews.count} reviews`,
      );
      log(`search indices built in ${seconds(started)}`);
    };
    await Promise.all([loadDatabases(), loadSearch()]);
    return true;
  } finally {
    await Promise.all([catalog.$disconnect(), users.$disconnect()]);
  }
}
