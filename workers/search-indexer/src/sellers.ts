/**
 * Seller documents, re-read from the catalog like products, written with the row's updated_at
 * as external version. A rename also reaches the seller's product documents (they embed the
 * seller name for full-text search): until none of them carries an outdated name.
 */
import { productsWithStaleSellerName, sellersAlias, toSellerDocument } from '@shop/search-client';
import { syncSellerProducts } from './products.ts';
import { isConflict, type IndexSyncOptions } from './sync-options.ts';

interface SellerRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  updatedAt: Date;
}

export type SellerSyncOutcome = {
  seller: 'indexed' | 'deleted' | 'stale';
  /** Product documents re-written with the seller's current name. */
  products: number;
};

export async function syncSeller(
  options: IndexSyncOptions,
  sellerId: string,
  deletedAt?: Date,
): Promise<SellerSyncOutcome> {
  const index = sellersAlias(options.searchPrefix);
  const refresh = options.refresh ? true : undefined;
  const { rows } = await options.catalogPool.query<SellerRow>(
    `SELECT id, slug, name, description, updated_at AS "updatedAt" FROM sellers WHERE id = $1::uuid`,
    [sellerId],
  );
  const row = rows[0];
  if (!row) {
    try {
      await options.search.delete(
        {
          index,
          id: sellerId,
          version: (deletedAt ?? new Date()).getTime(),
          version_type: 'external_gte',
          refresh,
        },
        { ignore: [404] },
      );
      return { seller: 'deleted', products: 0 };
    } catch (error) {
      if (isConflict(error)) return { seller: 'stale', products: 0 };
      throw error;
    }
  }
  let seller: SellerSyncOutcome['seller'] = 'indexed';
  try {
    await options.search.index({
      index,
      id: row.id,
      version: row.updatedAt.getTime(),
      version_type: 'external_gte',
      refresh,
      body: toSellerDocument(row),
    });
  } catch (error) {
    if (!isConflict(error)) throw error;
    seller = 'stale';
  }
  // Checked even when the seller document was current: a retry after a crash between the two
  // writes must still finish the products.
  const stale = await productsWithStaleSellerName(
    options.search,
    options.searchPrefix,
    row.id,
    row.name,
  );
  return { seller, products: stale > 0 ? await syncSellerProducts(options, row.id) : 0 };
}
