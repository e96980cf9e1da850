/**
 * Product documents. A handler re-reads the product (with its category chain and seller) from
 * the catalog, so an event only says "look at this product", and a late or duplicated event
 * re-reads the current row: a ProductUpdated that arrives after the product was deleted finds
 * `deleted_at` set and deletes, it cannot bring the document back.
 *
 * Versions: a document is written with max(product updated_at, seller updated_at) in ms as its
 * external version (`external_gte`), so a read that lands late cannot overwrite a document
 * written from a newer product row or a newer seller name. A delete uses that version + 1, so
 * it outranks a concurrent write from a read taken just before the delete committed.
 */
import {
  bulkIndexVersioned,
  deleteReviewsOfProduct,
  productsAlias,
  renameProductInReviews,
  toProductDocument,
  type CategoryNode,
} from '@shop/search-client';
import { CATEGORY_CHAIN, isConflict, type IndexSyncOptions } from './sync-options.ts';

interface ProductRow {
  id: string;
  sku: string;
  name: string;
  description: string;
  price: string;
  currency: string;
  stock: number;
  ratingAvg: number | null;
  ratingCount: number;
  createdAt: Date;
  categoryId: string;
  sellerId: string;
  sellerName: string;
  deletedAt: Date | null;
  /** max(product updated_at, seller updated_at) in ms. */
  version: string;
}

const PRODUCT_COLUMNS = `p.id, p.sku, p.name, p.description, p.price::text AS price, p.currency,
    p.stock, p.rating_avg AS "ratingAvg", p.rating_count AS "ratingCount",
    p.created_at AS "createdAt", p.category_id AS "categoryId", p.seller_id AS "sellerId",
    s.name AS "sellerName", p.deleted_at AS "deletedAt",
    (extract(epoch FROM greatest(p.updated_at, s.updated_at)) * 1000)::bigint::text AS version
  FROM products p JOIN sellers s ON s.id = p.seller_id`;

async function categoriesOf(options: IndexSyncOptions, categoryIds: string[]) {
  const chain = await options.catalogPool.query<CategoryNode>(CATEGORY_CHAIN, [
    [...new Set(categoryIds)],
  ]);
  return new Map(chain.rows.map((c) => [c.id, c]));
}

export type SyncOutcome = 'indexed' | 'deleted' | 'stale';

async function deleteProductDocument(
  options: IndexSyncOptions,
  productId: string,
  version: number,
): Promise<SyncOutcome> {
  const refresh = options.refresh ? true : undefined;
  try {
    await options.search.delete(
      {
        index: productsAlias(options.searchPrefix),
        id: productId,
        version,
        version_type: 'external_gte',
        refresh,
      },
      { ignore: [404] },
    );
  } catch (error) {
    if (!isConflict(error)) throw error;
    return 'stale';
  }
  await deleteReviewsOfProduct(options.search, options.searchPrefix, productId, {
    refresh: options.refresh,
  });
  return 'deleted';
}

/**
 * A rename reaches the product's review documents (they carry the product name). They are
 * rewritten before the product document, and only when that document still has another name:
 * a crash between the two writes leaves the old name in the product document, so the retry
 * finds the difference again and finishes the reviews.
 */
async function renameReviewsIfNeeded(options: IndexSyncOptions, row: ProductRow): Promise<void> {
  const current = await options.search.get(
    { index: productsAlias(options.searchPrefix), id: row.id, _source_includes: 'name' },
    { ignore: [404] },
  );
  const indexed = (current.body as { _source?: { name?: string } })._source?.name;
  if (indexed === undefined || indexed === row.name) return;
  await renameProductInReviews(options.search, options.searchPrefix, row.id, row.name, {
    refresh: options.refresh,
  });
}

/**
 * Indexes (or removes) one product from the catalog's current row. `deletedAt` is the time of a
 * ProductDeleted event, the delete version when the row itself is gone.
 */
export async function syncProduct(
  options: IndexSyncOptions,
  productId: string,
  deletedAt?: Date,
): Promise<SyncOutcome> {
  const { rows } = await options.catalogPool.query<ProductRow>(
    `SELECT ${PRODUCT_COLUMNS} WHERE p.id = $1::uuid`,
    [productId],
  );
  const row = rows[0];
  if (!row) return deleteProductDocument(options, productId, (deletedAt ?? new Date()).getTime());
  if (row.deletedAt) return deleteProductDocument(options, productId, Number(row.version) + 1);
  await renameReviewsIfNeeded(options, row);
  const categories = await categoriesOf(options, [row.categoryId]);
  try {
    await options.search.index({
      index: productsAlias(options.searchPrefix),
      id: row.id,
      version: Number(row.version),
      version_type: 'external_gte',
      refresh: options.refresh ? true : undefined,
      body: toProductDocument(row, categories, { name: row.sellerName }),
    });
  } catch (error) {
    if (isConflict(error)) return 'stale';
    throw error;
  }
  return 'indexed';
}

const SELLER_BATCH = 1000;

/**
 * Re-indexes every listed product of a seller (after a rename: the documents carry the seller's
 * name), in id-ordered batches. Returns how many documents were written; documents already
 * written from a newer read are skipped by their version.
 */
export async function syncSellerProducts(
  options: IndexSyncOptions,
  sellerId: string,
): Promise<number> {
  let written = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await options.catalogPool.query<ProductRow>(
      `SELECT ${PRODUCT_COLUMNS}
       WHERE p.seller_id = $1::uuid AND p.deleted_at IS NULL AND p.id > $2::uuid
       ORDER BY p.id LIMIT ${SELLER_BATCH}`,
      [sellerId, after],
    );
    if (rows.length === 0) return written;
    const categories = await categoriesOf(
      options,
      rows.map((r) => r.categoryId),
    );
    written += await bulkIndexVersioned(
      options.search,
      productsAlias(options.searchPrefix),
      rows.map((row) => ({
        id: row.id,
        version: Number(row.version),
        doc: toProductDocument(row, categories, { name: row.sellerName }),
      })),
      { refresh: options.refresh },
    );
    if (rows.length < SELLER_BATCH) return written;
    after = rows.at(-1)!.id;
  }
}
