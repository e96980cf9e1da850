import type { SearchClient } from './client.ts';
import {
  aliasOf,
  ensureIndex,
  priceNumber,
  rebuildIndex,
  type IndexDefinition,
} from './indices.ts';

export const PRODUCTS_INDEX: IndexDefinition = {
  name: 'products',
  version: 2,
  mappings: {
    dynamic: 'strict',
    properties: {
      id: { type: 'keyword' },
      sku: { type: 'keyword' },
      name: { type: 'text', analyzer: 'english', fields: { raw: { type: 'keyword' } } },
      description: { type: 'text', analyzer: 'english' },
      categoryId: { type: 'keyword' },
      /** The category and its ancestors, so a filter on a parent finds its sub-categories' products. */
      categoryPath: { type: 'keyword' },
      /** Names of the category and its ancestors ("Spinning Reels", "Reels"). */
      categoryName: { type: 'text', analyzer: 'english' },
      sellerId: { type: 'keyword' },
      sellerName: { type: 'text', fields: { raw: { type: 'keyword' } } },
      price: { type: 'scaled_float', scaling_factor: 100 },
      currency: { type: 'keyword' },
      inStock: { type: 'boolean' },
      rating: { type: 'float' },
      ratingCount: { type: 'integer' },
      createdAt: { type: 'date' },
    },
  },
};

/** Readers and writers use the alias; a full reindex builds a new index and swaps it. */
export const productsAlias = (prefix: string) => aliasOf(PRODUCTS_INDEX, prefix);

export interface ProductDocument {
  id: string;
  sku: string;
  name: string;
  description: string;
  categoryId: string;
  categoryPath: string[];
  categoryName: string[];
  sellerId: string;
  sellerName: string;
  /** Decimal string in the database; indexed as a scaled float for range filters and facets. */
  price: number;
  currency: string;
  inStock: boolean;
  rating: number | null;
  ratingCount: number;
  createdAt: string;
}

export const ensureProductsIndex = (client: SearchClient, prefix: string) =>
  ensureIndex(client, PRODUCTS_INDEX, prefix);

export interface CategoryNode {
  id: string;
  name: string;
  parentId: string | null;
}

/** The category and its ancestors, leaf first (stops at a cycle or a missing parent). */
export function categoryChain(
  categoryId: string,
  categories: ReadonlyMap<string, CategoryNode>,
): CategoryNode[] {
  const chain: CategoryNode[] = [];
  for (let c = categories.get(categoryId); c && !chain.includes(c);) {
    chain.push(c);
    c = c.parentId ? categories.get(c.parentId) : undefined;
  }
  return chain;
}

/** The search document of a product, from the catalog's rows (seed, indexer and reindex share it). */
export function toProductDocument(
  product: {
    id: string;
    sku: string;
    name: string;
    description: string;
    price: string | { toString(): string };
    currency: string;
    stock: number;
    ratingAvg: number | null;
    ratingCount: number;
    createdAt: Date;
    categoryId: string;
    sellerId: string;
  },
  categories: ReadonlyMap<string, CategoryNode>,
  seller: { name: string },
): ProductDocument {
  const chain = categoryChain(product.categoryId, categories);
  return {
    id: product.id,
    sku: product.sku,
    name: product.name,
    description: product.description,
    categoryId: product.categoryId,
    categoryPath: chain.map((c) => c.id),
    categoryName: chain.map((c) => c.name),
    sellerId: product.sellerId,
    sellerName: seller.name,
    price: priceNumber(product.price),
    currency: product.currency,
    inStock: product.stock > 0,
    rating: product.ratingAvg,
    ratingCount: product.ratingCount,
    createdAt: product.createdAt.toISOString(),
  };
}

export const reindexProducts = (
  client: SearchClient,
  prefix: string,
  batches: AsyncIterable<ProductDocument[]> | Iterable<ProductDocument[]>,
) => rebuildIndex(client, PRODUCTS_INDEX, prefix, batches);

/**
 * Product documents of a seller that do not carry its current name yet: a rename is complete
 * in search when this is 0. Asking the index (not a remembered old name) makes a retried or
 * duplicated SellerUpdated finish the job a crash interrupted.
 */
export async function productsWithStaleSellerName(
  client: SearchClient,
  prefix: string,
  sellerId: string,
  sellerName: string,
): Promise<number> {
  const response = await client.count({
    index: productsAlias(prefix),
    body: {
      query: {
        bool: {
          filter: [{ term: { sellerId } }],
          must_not: [{ term: { 'sellerName.raw': sellerName } }],
        },
      },
    },
  });
  return (response.body as { count: number }).count;
}
