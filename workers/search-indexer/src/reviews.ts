/**
 * Review documents, re-read from the catalog. Review events are keyed by product id, so one
 * product's review events are handled in order on one partition and the last one handled reads
 * the final state: a duplicate or a late ReviewCreated for a review deleted since finds no row
 * and deletes. Reviews of a deleted product leave search with it.
 */
import { reviewsAlias, toReviewDocument } from '@shop/search-client';
import type { IndexSyncOptions } from './sync-options.ts';

interface ReviewRow {
  id: string;
  productId: string;
  userId: string;
  rating: number;
  text: string;
  createdAt: Date;
  productName: string;
  productDeleted: boolean;
}

export async function syncReview(
  options: IndexSyncOptions,
  reviewId: string,
): Promise<'indexed' | 'deleted'> {
  const index = reviewsAlias(options.searchPrefix);
  const refresh = options.refresh ? true : undefined;
  const { rows } = await options.catalogPool.query<ReviewRow>(
    `SELECT r.id, r.product_id AS "productId", r.user_id AS "userId", r.rating, r.text,
       r.created_at AS "createdAt", p.name AS "productName",
       p.deleted_at IS NOT NULL AS "productDeleted"
     FROM reviews r JOIN products p ON p.id = r.product_id WHERE r.id = $1::uuid`,
    [reviewId],
  );
  const row = rows[0];
  if (!row || row.productDeleted) {
    await options.search.delete({ index, id: reviewId, refresh }, { ignore: [404] });
    return 'deleted';
  }
  await options.search.index({
    index,
    id: row.id,
    refresh,
    body: toReviewDocument(row, { name: row.productName }),
  });
  return 'indexed';
}
