import type DataLoader from 'dataloader';
import { entityLoader, type SubgraphClient } from '@shop/subgraph-client';
import type { Money } from '@shop/subgraph-kit';

/** The catalog's view of a product that the cart needs: its current price and stock. */
export interface CatalogProduct {
  id: string;
  price: Money;
  stock: number;
}

export function catalogProducts(
  catalog: SubgraphClient,
): DataLoader<string, CatalogProduct | null> {
  return entityLoader<CatalogProduct>(catalog, {
    typename: 'Product',
    selection: 'id price { amount currency } stock',
  });
}
