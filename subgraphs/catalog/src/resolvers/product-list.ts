import { pageSize, toConnection, type Connection } from '@shop/subgraph-kit';
import type { Product } from '@shop/prisma/catalog';
import type { CatalogContext } from '../context.ts';
import { loadAll } from '../data/loaders.ts';
import { listProductIds } from '../data/product-list.ts';
import {
  parseProductFilter,
  type ProductFilter,
  type ProductFilterInput,
} from '../domain/product-filter.ts';
import {
  DEFAULT_SORT,
  decodeSortCursor,
  encodeSortCursor,
  sortKeyOf,
  type ProductSort,
} from '../domain/product-sort.ts';

export interface ProductListArgs {
  filter?: ProductFilterInput | null;
  sort?: ProductSort | null;
  first?: number | null;
  after?: string | null;
}

/**
 * A page of products: validates the arguments, finds the page's ids and the total in SQL, then
 * loads the rows through the request's product loader (so entity fetches later in the same
 * request are already cached). Three SQL queries whatever the page size.
 */
export async function productConnection(
  ctx: CatalogContext,
  args: ProductListArgs,
  fixed: Partial<ProductFilter> = {},
): Promise<Connection<Product>> {
  const sort = args.sort ?? DEFAULT_SORT;
  const limit = pageSize(args.first);
  const filter = { ...parseProductFilter(args.filter), ...fixed };
  const after = decodeSortCursor(args.after, sort);
  const page = await listProductIds(ctx.prisma, { filter, sort, after, limit });
  const rows = await loadAll(ctx.loaders.product, page.ids);
  return toConnection(rows, limit, page.totalCount, (p) => encodeSortCursor(sortKeyOf(sort, p)));
}
