import type DataLoader from 'dataloader';
import type { Identity } from '@shop/auth';
import { entityLoader, type SubgraphClient } from '@shop/subgraph-client';
import type { PricingFacts } from '../domain/checkout-quote.ts';
import type { CartLineInput } from '../domain/place-order.ts';

/**
 * The signed-in user's cart lines, read from the cart subgraph ON THE USER'S BEHALF (the
 * identity is signed like the gateway signs it), so the cart's own rules decide what is seen.
 */
export async function readCartOf(
  cart: SubgraphClient,
  identity: Identity,
): Promise<CartLineInput[]> {
  const data = await cart.request<{
    cart: { items: { quantity: number; product: { id: string } }[] };
  }>('query OrderCartLines { cart { items { quantity product { id } } } }', {}, { as: identity });
  return data.cart.items.map((item) => ({ productId: item.product.id, quantity: item.quantity }));
}

/**
 * What placing and pricing need of products (name, price, stock, weight, tax class, category
 * with its ancestors), one `_entities` call to the catalog per tick.
 */
export function catalogFacts(catalog: SubgraphClient): DataLoader<string, PricingFacts | null> {
  return entityLoader<PricingFacts>(catalog, {
    typename: 'Product',
    selection:
      'id name price { amount currency } stock weightGrams taxClass category { id ancestorIds }',
  });
}
