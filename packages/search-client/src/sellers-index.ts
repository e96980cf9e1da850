import type { SearchClient } from './client.ts';
import { aliasOf, ensureIndex, rebuildIndex, type IndexDefinition } from './indices.ts';

export const SELLERS_INDEX: IndexDefinition = {
  name: 'sellers',
  version: 1,
  mappings: {
    dynamic: 'strict',
    properties: {
      id: { type: 'keyword' },
      slug: { type: 'keyword' },
      name: { type: 'text', analyzer: 'english', fields: { raw: { type: 'keyword' } } },
      description: { type: 'text', analyzer: 'english' },
    },
  },
};

export const sellersAlias = (prefix: string) => aliasOf(SELLERS_INDEX, prefix);

export interface SellerDocument {
  id: string;
  slug: string;
  name: string;
  description: string;
}

export const toSellerDocument = (seller: SellerDocument): SellerDocument => ({
  id: seller.id,
  slug: seller.slug,
  name: seller.name,
  description: seller.description,
});

export const ensureSellersIndex = (client: SearchClient, prefix: string) =>
  ensureIndex(client, SELLERS_INDEX, prefix);

export const reindexSellers = (
  client: SearchClient,
  prefix: string,
  batches: AsyncIterable<SellerDocument[]> | Iterable<SellerDocument[]>,
) => rebuildIndex(client, SELLERS_INDEX, prefix, batches);

export interface TextHit {
  id: string;
  score: number;
  highlights: string[];
}

export interface TextSearchPage {
  totalCount: number;
  hits: TextHit[];
}

export function toTextSearchPage(body: unknown): TextSearchPage {
  const hits = (
    body as {
      hits: {
        total: { value: number };
        hits: { _id: string; _score: number | null; highlight?: Record<string, string[]> }[];
      };
    }
  ).hits;
  return {
    totalCount: hits.total.value,
    hits: hits.hits.map((hit) => ({
      id: hit._id,
      score: hit._score ?? 0,
      highlights: Object.values(hit.highlight ?? {}).flat(),
    })),
  };
}

/** Fuzzy search over seller names and descriptions, best first. */
export async function searchSellers(
  client: SearchClient,
  prefix: string,
  params: { query: string; size: number; from: number },
): Promise<TextSearchPage> {
  const response = await client.search({
    index: sellersAlias(prefix),
    body: {
      from: params.from,
      size: params.size,
      track_total_hits: true,
      query: {
        multi_match: {
          query: params.query,
          fields: ['name^3', 'description'],
          fuzziness: 'AUTO',
          prefix_length: 1,
        },
      },
      highlight: { fields: { name: {}, description: { fragment_size: 120 } } },
    },
  });
  return toTextSearchPage(response.body);
}
