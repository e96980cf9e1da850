import type { SearchClient } from './client.ts';
import { priceBuckets, rangeAggregationRanges, type PriceBucket } from './price-buckets.ts';
import { productsAlias } from './products-index.ts';

/** A validated product filter (ids lower-case UUIDs, prices decimal strings). */
export interface ProductSearchFilter {
  categoryId?: string;
  sellerId?: string;
  minPrice?: string;
  maxPrice?: string;
  inStock?: boolean;
  text?: string;
}

export interface ProductSearchParams {
  query: string;
  filter: ProductSearchFilter;
  size: number;
  from: number;
}

type Clause = Record<string, unknown>;
type FilterName = keyof ProductSearchFilter | 'price';

/** Each filter as a query clause, keyed so a facet can leave out its own filter. */
function filterClauses(filter: ProductSearchFilter): Partial<Record<FilterName, Clause>> {
  const clauses: Partial<Record<FilterName, Clause>> = {};
  if (filter.categoryId) clauses.categoryId = { term: { categoryPath: filter.categoryId } };
  if (filter.sellerId) clauses.sellerId = { term: { sellerId: filter.sellerId } };
  if (filter.minPrice || filter.maxPrice)
    clauses.price = {
      range: {
        price: {
          ...(filter.minPrice ? { gte: Number(filter.minPrice) } : {}),
          ...(filter.maxPrice ? { lte: Number(filter.maxPrice) } : {}),
        },
      },
    };
  if (filter.inStock !== undefined) clauses.inStock = { term: { inStock: filter.inStock } };
  if (filter.text)
    clauses.text = {
      multi_match: { query: filter.text, fields: ['name', 'description'], operator: 'and' },
    };
  return clauses;
}

const allBut = (clauses: Partial<Record<FilterName, Clause>>, except: FilterName) =>
  Object.entries(clauses)
    .filter(([name]) => name !== except)
    .map(([, clause]) => clause);

export const CATEGORY_FACET_SIZE = 50;

/**
 * The Elasticsearch request of a product search. The filters go into `post_filter`, so hits
 * and totalCount honour all of them while each facet honours all filters but its own
 * (disjunctive faceting: the price facet still shows the other price ranges).
 */
export function productSearchBody(params: ProductSearchParams, buckets: PriceBucket[]) {
  const clauses = filterClauses(params.filter);
  const all = Object.values(clauses);
  return {
    from: params.from,
    size: params.size,
    track_total_hits: true,
    query: {
      multi_match: {
        query: params.query,
        fields: ['name^3', 'categoryName^2', 'sellerName', 'description'],
        type: 'best_fields',
        fuzziness: 'AUTO',
        prefix_length: 1,
      },
    },
    ...(all.length ? { post_filter: { bool: { filter: all } } } : {}),
    aggs: {
      categories: {
        filter: { bool: { filter: allBut(clauses, 'categoryId') } },
        aggs: { ids: { terms: { field: 'categoryPath', size: CATEGORY_FACET_SIZE } } },
      },
      prices: {
        filter: { bool: { filter: allBut(clauses, 'price') } },
        aggs: { ranges: { range: { field: 'price', ranges: rangeAggregationRanges(buckets) } } },
      },
    },
    highlight: {
      fields: { name: {}, description: { fragment_size: 120, number_of_fragments: 2 } },
    },
  };
}

export interface ProductHit {
  id: string;
  score: number;
  highlights: string[];
}

export interface ProductSearchPage {
  totalCount: number;
  hits: ProductHit[];
  /** Products per category id (a product counts for its category and every ancestor). */
  categoryFacets: { categoryId: string; count: number }[];
  /** Products per price bucket, every bucket listed (count 0 included), cheapest first. */
  priceFacets: (PriceBucket & { count: number })[];
}

interface SearchResponseBody {
  hits: {
    total: { value: number };
    hits: { _id: string; _score: number | null; highlight?: Record<string, string[]> }[];
  };
  aggregations: {
    categories: { ids: { buckets: { key: string; doc_count: number }[] } };
    prices: { ranges: { buckets: { key: string; doc_count: number }[] } };
  };
}

/** Fuzzy full-text search over name, description, category and seller, with filters and facets. */
export async function searchProducts(
  client: SearchClient,
  prefix: string,
  params: ProductSearchParams,
): Promise<ProductSearchPage> {
  const buckets = priceBuckets();
  const response = await client.search({
    index: productsAlias(prefix),
    body: productSearchBody(params, buckets),
  });
  const body = response.body as SearchResponseBody;
  const priceCounts = new Map(
    body.aggregations.prices.ranges.buckets.map((b) => [b.key, b.doc_count]),
  );
  return {
    totalCount: body.hits.total.value,
    hits: body.hits.hits.map((hit) => ({
      id: hit._id,
      score: hit._score ?? 0,
      highlights: Object.values(hit.highlight ?? {}).flat(),
    })),
    categoryFacets: body.aggregations.categories.ids.buckets.map((b) => ({
      categoryId: b.key,
      count: b.doc_count,
    })),
    priceFacets: buckets.map((b) => ({ ...b, count: priceCounts.get(b.key) ?? 0 })),
  };
}
