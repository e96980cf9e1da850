import type { SearchClient } from './client.ts';
import { aliasOf, ensureIndex, rebuildIndex, type IndexDefinition } from './indices.ts';
import { toTextSearchPage, type TextSearchPage } from './sellers-index.ts';

export const REVIEWS_INDEX: IndexDefinition = {
  name: 'reviews',
  version: 1,
  mappings: {
    dynamic: 'strict',
    properties: {
      id: { type: 'keyword' },
      productId: { type: 'keyword' },
      productName: { type: 'text', analyzer: 'english' },
      userId: { type: 'keyword' },
      rating: { type: 'byte' },
      text: { type: 'text', analyzer: 'english' },
      createdAt: { type: 'date' },
    },
  },
};

export const reviewsAlias = (prefix: string) => aliasOf(REVIEWS_INDEX, prefix);

export interface ReviewDocument {
  id: string;
  productId: string;
  productName: string;
  userId: string;
  rating: number;
  text: string;
  createdAt: string;
}

export function toReviewDocument(
  review: {
    id: string;
    productId: string;
    userId: string;
    rating: number;
    text: string;
    createdAt: Date;
  },
  product: { name: string },
): ReviewDocument {
  return {
    id: review.id,
    productId: review.productId,
    productName: product.name,
    userId: review.userId,
    rating: review.rating,
    text: review.text,
    createdAt: review.createdAt.toISOString(),
  };
}

export const ensureReviewsIndex = (client: SearchClient, prefix: string) =>
  ensureIndex(client, REVIEWS_INDEX, prefix);

export const reindexReviews = (
  client: SearchClient,
  prefix: string,
  batches: AsyncIterable<ReviewDocument[]> | Iterable<ReviewDocument[]>,
) => rebuildIndex(client, REVIEWS_INDEX, prefix, batches);

/** Fuzzy search over review texts (and the reviewed product's name), optionally of one product or rating range. */
export async function searchReviews(
  client: SearchClient,
  prefix: string,
  params: { query: string; size: number; from: number; productId?: string; minRating?: number },
): Promise<TextSearchPage> {
  const filter: Record<string, unknown>[] = [];
  if (params.productId) filter.push({ term: { productId: params.productId } });
  if (params.minRating) filter.push({ range: { rating: { gte: params.minRating } } });
  const response = await client.search({
    index: reviewsAlias(prefix),
    body: {
      from: params.from,
      size: params.size,
      track_total_hits: true,
      query: {
        bool: {
          must: {
            multi_match: {
              query: params.query,
              fields: ['text^2', 'productName'],
              fuzziness: 'AUTO',
              prefix_length: 1,
            },
          },
          filter,
        },
      },
      highlight: { fields: { text: { fragment_size: 120 } } },
    },
  });
  return toTextSearchPage(response.body);
}

/** Removes every review document of a product (a deleted product's reviews leave search too). */
export async function deleteReviewsOfProduct(
  client: SearchClient,
  prefix: string,
  productId: string,
  options: { refresh?: boolean } = {},
): Promise<number> {
  // No reviews index yet means no review documents to remove.
  const response = await client.deleteByQuery(
    {
      index: reviewsAlias(prefix),
      conflicts: 'proceed',
      refresh: options.refresh ?? false,
      body: { query: { term: { productId } } },
    },
    { ignore: [404] },
  );
  return (response.body as { deleted?: number }).deleted ?? 0;
}

/**
 * Writes a product's new name into its review documents (they embed it for full-text search).
 * Returns how many documents changed; those already carrying the name are left alone.
 */
export async function renameProductInReviews(
  client: SearchClient,
  prefix: string,
  productId: string,
  productName: string,
  options: { refresh?: boolean } = {},
): Promise<number> {
  const response = await client.updateByQuery(
    {
      index: reviewsAlias(prefix),
      // A review written meanwhile was indexed from a fresh read of the product's name.
      conflicts: 'proceed',
      refresh: options.refresh ?? false,
      body: {
        query: { term: { productId } },
        script: {
          lang: 'painless',
          source:
            "if (ctx._source.productName == params.name) { ctx.op = 'noop' } else { ctx._source.productName = params.name }",
          params: { name: productName },
        },
      },
    },
    { ignore: [404] },
  );
  return (response.body as { updated?: number }).updated ?? 0;
}
