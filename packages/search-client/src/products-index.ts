import type { SearchClient } from './client.ts';

/**
 * Readers and writers use the alias; a full reindex builds a new index and swaps the alias.
 * The prefix separates environments sharing one cluster (`shop` for the running system,
 * `shoptest` for tests), as the database prefix does in PostgreSQL.
 */
export const productsAlias = (prefix: string) => `${prefix}_products`;

export interface ProductDocument {
  id: string;
  name: string;
  description: string;
  categoryId: string;
  categoryName: string;
  sellerId: string;
  sellerName: string;
  /** Decimal string in the database; indexed as a scaled float for range filters and facets. */
  price: number;
  currency: string;
  inStock: boolean;
  rating: number | null;
  createdAt: string;
}

export const PRODUCTS_MAPPING = {
  dynamic: 'strict',
  properties: {
    id: { type: 'keyword' },
    name: { type: 'text', analyzer: 'english', fields: { raw: { type: 'keyword' } } },
    description: { type: 'text', analyzer: 'english' },
    categoryId: { type: 'keyword' },
    categoryName: { type: 'text', analyzer: 'english', fields: { raw: { type: 'keyword' } } },
    sellerId: { type: 'keyword' },
    sellerName: { type: 'text', fields: { raw: { type: 'keyword' } } },
    price: { type: 'scaled_float', scaling_factor: 100 },
    currency: { type: 'keyword' },
    inStock: { type: 'boolean' },
    rating: { type: 'float' },
    createdAt: { type: 'date' },
  },
} as const;

/** Creates a concrete index for products (named with a suffix) without touching the alias. */
export async function createProductsIndex(client: SearchClient, name: string): Promise<void> {
  await client.indices.create({
    index: name,
    body: { settings: { number_of_shards: 1, number_of_replicas: 0 }, mappings: PRODUCTS_MAPPING },
  });
}

/** Makes sure the alias points at an index, creating the first one when there is none. */
export async function ensureProductsIndex(client: SearchClient, prefix: string): Promise<void> {
  const alias = productsAlias(prefix);
  const exists = await client.indices.existsAlias({ name: alias });
  if (exists.body) return;
  const name = `${alias}_${Date.now()}`;
  await createProductsIndex(client, name);
  await client.indices.putAlias({ index: name, name: alias });
}

export async function indexProducts(
  client: SearchClient,
  index: string,
  docs: ProductDocument[],
  options: { refresh?: boolean } = {},
): Promise<void> {
  if (docs.length === 0) return;
  const body = docs.flatMap((doc) => [{ index: { _index: index, _id: doc.id } }, doc]);
  const response = await client.bulk({ body, refresh: options.refresh ? 'wait_for' : false });
  if (response.body.errors) {
    const failed = (response.body.items as { index?: { error?: { reason?: string } } }[]).find(
      (i) => i.index?.error,
    );
    throw new Error(`bulk indexing failed: ${failed?.index?.error?.reason ?? 'unknown reason'}`);
  }
}

export interface ProductHit {
  id: string;
  score: number;
  highlights: string[];
}

export interface ProductSearchPage {
  totalCount: number;
  hits: ProductHit[];
}

/** Full-text search over name, description, category and seller, best matches first. */
export async function searchProducts(
  client: SearchClient,
  prefix: string,
  params: { query: string; size: number; from: number },
): Promise<ProductSearchPage> {
  const response = await client.search({
    index: productsAlias(prefix),
    body: {
      from: params.from,
      size: params.size,
      track_total_hits: true,
      query: {
        multi_match: {
          query: params.query,
          fields: ['name^3', 'categoryName^2', 'sellerName', 'description'],
          type: 'best_fields',
          fuzziness: 'AUTO',
        },
      },
      highlight: {
        fields: { name: {}, description: { fragment_size: 120, number_of_fragments: 2 } },
      },
    },
  });
  const hits = response.body.hits as {
    total: { value: number };
    hits: { _id: string; _score: number; highlight?: Record<string, string[]> }[];
  };
  return {
    totalCount: hits.total.value,
    hits: hits.hits.map((hit) => ({
      id: hit._id,
      score: hit._score,
      highlights: Object.values(hit.highlight ?? {}).flat(),
    })),
  };
}

/** The search document of a product, from the catalog's rows (seed, indexer and reindex share it). */
export function toProductDocument(
  product: {
    id: string;
    name: string;
    description: string;
    price: string | { toString(): string };
    currency: string;
    stock: number;
    ratingAvg: number | null;
    createdAt: Date;
    categoryId: string;
    sellerId: string;
  },
  category: { name: string },
  seller: { name: string },
): ProductDocument {
  return {
    id: product.id,
    name: product.name,
    description: product.description,
    categoryId: product.categoryId,
    categoryName: category.name,
    sellerId: product.sellerId,
    sellerName: seller.name,
    price: Number(product.price.toString()),
    currency: product.currency,
    inStock: product.stock > 0,
    rating: product.ratingAvg,
    createdAt: product.createdAt.toISOString(),
  };
}

/**
 * Full rebuild without downtime: index everything into a new index, then move the alias in one
 * atomic update and drop the old indices. Searches hit the old index until the swap.
 */
export async function reindexProducts(
  client: SearchClient,
  prefix: string,
  docs: ProductDocument[],
): Promise<{ index: string; count: number }> {
  const alias = productsAlias(prefix);
  const index = `${alias}_${Date.now()}`;
  await createProductsIndex(client, index);
  for (let i = 0; i < docs.length; i += 2000)
    await indexProducts(client, index, docs.slice(i, i + 2000));
  await client.indices.refresh({ index });
  const current = await client.indices.getAlias({ name: alias }).catch(() => ({ body: {} }));
  const old = Object.keys(current.body as Record<string, unknown>);
  // An index (not alias) named like the alias would block the alias; remove it first.
  const plainIndex = await client.indices.exists({ index: alias });
  if (plainIndex.body && old.length === 0) await client.indices.delete({ index: alias });
  await client.indices.updateAliases({
    body: {
      actions: [
        ...old.map((name) => ({ remove: { index: name, alias: alias } })),
        { add: { index, alias: alias } },
      ],
    },
  });
  if (old.length > 0) await client.indices.delete({ index: old.join(',') });
  return { index, count: docs.length };
}
