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

const SELLER_PRODUCTS = `query OrderSellerProducts($representations: [_Any!]!) {
  mySellers { id }
  _entities(representations: $representations) { ... on Product { id seller { id } } }
}`;

/** Which sellers a user manages, and the seller of each product (null for an unknown one). */
export interface SellerView {
  mySellerIds: string[];
  sellerOf: (string | null)[];
}

/**
 * What the catalog says about a seller user and some products, in ONE request made ON THE
 * USER'S BEHALF: the sellers they manage (`mySellers`, the catalog's own rule of ownership) and
 * each product's seller. The order database does not know sellers; the catalog does.
 */
export async function sellerView(
  catalog: SubgraphClient,
  identity: Identity,
  productIds: readonly string[],
): Promise<SellerView> {
  const data = await catalog.request<{
    mySellers: { id: string }[];
    _entities: ({ id: string; seller: { id: string } | null } | null)[];
  }>(
    SELLER_PRODUCTS,
    { representations: productIds.map((id) => ({ __typename: 'Product', id })) },
    { as: identity },
  );
  return {
    mySellerIds: data.mySellers.map((s) => s.id),
    sellerOf: productIds.map((id, i) => {
      const row = data._entities[i];
      return row && row.id === id ? (row.seller?.id ?? null) : null;
    }),
  };
}

const SELLER_PRODUCT_IDS = `query OrderSellerProductIds { mySellerProductIds }`;

/**
 * Every product (deleted ones too) of the sellers a user manages, asked of the catalog ON THE
 * USER'S BEHALF, so the catalog's own rule of ownership decides. One call per order list.
 */
export async function sellerProductIds(
  catalog: SubgraphClient,
  identity: Identity,
): Promise<string[]> {
  const data = await catalog.request<{ mySellerProductIds: string[] }>(
    SELLER_PRODUCT_IDS,
    {},
    { as: identity },
  );
  return data.mySellerProductIds;
}

const USER_BY_EMAIL = `query OrderUserByEmail($email: String!) { userByEmail(email: $email) { id } }`;

/**
 * The id of the user with this e-mail address, or null when nobody has it. Asked of the user
 * service ON THE CALLER'S BEHALF: e-mail addresses are private there, and only admins may look
 * one up. The order database keeps user ids only.
 */
export async function userIdByEmail(
  user: SubgraphClient,
  identity: Identity,
  email: string,
): Promise<string | null> {
  const data = await user.request<{ userByEmail: { id: string } | null }>(
    USER_BY_EMAIL,
    { email },
    { as: identity },
  );
  return data.userByEmail?.id ?? null;
}
