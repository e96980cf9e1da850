import { createCatalogPrisma } from '@shop/prisma/catalog';
import {
  productsAlias,
  reindexProducts,
  toProductDocument,
  type SearchClient,
} from '@shop/search-client';

/** Products in the search alias, 0 when the alias does not exist yet. */
export async function indexedProductCount(search: SearchClient, prefix: string): Promise<number> {
  const alias = productsAlias(prefix);
  const exists = await search.indices.existsAlias({ name: alias });
  if (!exists.body) return 0;
  const { body } = await search.count({ index: alias });
  return (body as { count: number }).count;
}

/**
 * Rebuilds the product index from the catalog database (the source of truth) with an alias
 * swap, for a search engine that lost its data or a new mapping.
 */
export async function rebuildSearchIndex(catalogUrl: string, search: SearchClient, prefix: string) {
  const catalog = createCatalogPrisma(catalogUrl);
  try {
    const products = await catalog.product.findMany({ include: { category: true, seller: true } });
    return await reindexProducts(
      search,
      prefix,
      products.map((p) => toProductDocument(p, p.category, p.seller)),
    );
  } finally {
    await catalog.$disconnect();
  }
}
