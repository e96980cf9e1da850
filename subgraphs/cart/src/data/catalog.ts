import type DataLoader from 'dataloader';
import { entityLoader, type SubgraphClient } from '@shop/subgraph-client';
import type { Money } from '@shop/subgraph-kit';

/**
 * The catalog's view of a product that the cart needs: its current price and stock, whether it
 * is still sold, and what pricing a checkout needs (weight, tax class, category and its
 * ancestors, nearest first).
 */
export interface CatalogProduct {
  id: string;
  price: Money;
  stock: number;
  /** Set when the product was withdrawn from sale (soft delete). */
  deletedAt: string | null;
  weightGrams: number;
  /** One of TAX_CLASSES (@shop/pricing). */
  taxClass: string;
  category: { id: string; ancestorIds: string[] };
}

/**
 * Products by id through the catalog's `_entities`. It resolves deleted products too (with
 * `deletedAt`), so the lines that hold one still show and total; the cart's rules
 * (domain/cart-rules.ts) refuse to put units of one in a cart.
 */
export function catalogProducts(
  catalog: SubgraphClient,
): DataLoader<string, CatalogProduct | null> {
  return entityLoader<CatalogProduct>(catalog, {
    typename: 'Product',
    selection:
      'id price { amount currency } stock deletedAt weightGrams taxClass category { id ancestorIds }',
  });
}
