import type { DiscountCodeAttempts } from './data/code-attempts.ts';
import type DataLoader from 'dataloader';
import type pg from 'pg';
import type { BaseSubgraphContext } from '@shop/subgraph-kit';
import type { CartCache } from './data/cart-cache.ts';
import type { CatalogProduct } from './data/catalog.ts';
import type { CheckoutDeps, CheckoutPricing } from './domain/checkout-choices.ts';

export interface CartContext extends BaseSubgraphContext {
  /** The cart database (plain SQL: see data/cart-items.ts). */
  db: pg.Pool;
  cache: CartCache;
  /** Per request: catalog products by id, all ids of one tick in one `_entities` call. */
  products: DataLoader<string, CatalogProduct | null>;
  /** The order service's checkout pricing (never cached: rates and codes change there). */
  pricing: CheckoutPricing;
  /** What the checkout use cases work with (the cart's store, pricing, the address book). */
  checkout: CheckoutDeps;
  /** Failed applyDiscountCode attempts per customer. */
  codeAttempts: DiscountCodeAttempts;
}
