import type DataLoader from 'dataloader';
import type { Identity } from '@shop/auth';
import { entityLoader, type SubgraphClient } from '@shop/subgraph-client';
import type { PricingFacts } from '../domain/checkout-quote.ts';
import type { CartLineInput } from '../domain/place-order.ts';

/** The cart as placeOrder takes it: its lines and the checkout's choices it holds. */
export interface CartCheckout {
  lines: CartLineInput[];
  /** The cart's copy of the chosen address. */
  shippingAddress: (Record<string, unknown> & { country: string }) | null;
  shippingMethodId: string | null;
  discountCode: string | null;
  /** The version of the lines read (placeOrder orders one version once). */
  linesVersion: string;
}

const CART_CHECKOUT = `query OrderCartCheckout { cart {
  items { quantity product { id } }
  shippingAddress { id recipient phone line1 line2 city region postalCode country isDefault }
  shippingMethodId
  discountCode
  linesVersion
} }`;

/**
 * The signed-in user's cart and its checkout choices, read from the cart subgraph ON THE USER'S
 * BEHALF (the identity is signed like the gateway signs it), so the cart's own rules decide
 * what is seen.
 */
export async function readCartOf(cart: SubgraphClient, identity: Identity): Promise<CartCheckout> {
  const data = await cart.request<{
    cart: {
      items: { quantity: number; product: { id: string } }[];
      shippingAddress: CartCheckout['shippingAddress'];
      shippingMethodId: string | null;
      discountCode: string | null;
      linesVersion: string;
    };
  }>(CART_CHECKOUT, {}, { as: identity });
  return {
    lines: data.cart.items.map((item) => ({ productId: item.product.id, quantity: item.quantity })),
    shippingAddress: data.cart.shippingAddress,
    shippingMethodId: data.cart.shippingMethodId,
    discountCode: data.cart.discountCode,
    linesVersion: data.cart.linesVersion,
  };
}

/**
 * What placing and pricing need of products (name, price, stock, weight, tax class, category
 * with its ancestors), one `_entities` call to the catalog per tick.
 */
export function catalogFacts(catalog: SubgraphClient): DataLoader<string, PricingFacts | null> {
  return entityLoader<PricingFacts>(catalog, {
    typename: 'Product',
    selection:
      'id name price { amount currency } stock weightGrams taxClass deletedAt category { id ancestorIds }',
  });
}
