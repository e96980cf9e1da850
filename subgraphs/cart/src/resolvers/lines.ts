/** The cart and its lines: reading it, and changing what it holds. */
import { GraphQLError } from 'graphql';
import type { Identity } from '@shop/auth';
import { multiply, parseId, requireIdentity, sum, type Money } from '@shop/subgraph-kit';
import type { CartContext } from '../context.ts';
import {
  cartLinesOf,
  changeCart,
  removeAllLines,
  removeLine,
  setLineQuantity,
} from '../data/cart-items.ts';
import {
  STORE_CURRENCY,
  checkUpdate,
  itemCount,
  quantityAfterAdd,
  validateQuantity,
  type CartLine,
} from '../domain/cart-rules.ts';
import type { Resolvers } from '../generated/resolvers-types.ts';
import { cartView, type CartView } from './cart-view.ts';

/** Runs a change of the signed-in user's cart lines, then invalidates its cache entry. */
async function change(
  ctx: CartContext,
  identity: Identity,
  apply: Parameters<typeof changeCart>[2],
): Promise<CartView> {
  // A rule's refusal inside the transaction (a DomainError) rolls it back and reaches the client.
  const lines = await changeCart(ctx.db, identity.userId, apply);
  await ctx.cache.invalidate(identity.userId);
  return cartView(ctx, identity, lines);
}

async function lineTotal(line: CartLine, ctx: CartContext): Promise<Money> {
  const product = await ctx.products.load(line.productId);
  if (!product)
    throw new GraphQLError('A product in the cart is no longer in the catalog', {
      extensions: { code: 'NOT_FOUND', productId: line.productId },
    });
  return multiply(product.price, line.quantity);
}

const productIdArg = (value: string) => parseId(value, 'productId');
const quantityArg = (value: number) => validateQuantity(value, 'quantity');

export const lineResolvers: Resolvers = {
  Query: {
    cart: async (_: unknown, __: unknown, ctx: CartContext) => {
      const identity = requireIdentity(ctx);
      const { userId } = identity;
      const lines = await ctx.cache.lines(userId, () => cartLinesOf(ctx.db, userId));
      return cartView(ctx, identity, lines);
    },
  },
  Mutation: {
    addToCart: async (_, args, ctx) => {
      const identity = requireIdentity(ctx);
      const productId = productIdArg(args.productId);
      const quantity = quantityArg(args.quantity);
      // The catalog is asked before the transaction, so no database lock waits on HTTP.
      const product = await ctx.products.load(productId);
      return change(ctx, identity, async (tx, lines) => {
        const next = quantityAfterAdd(lines, productId, quantity, product);
        await setLineQuantity(tx, identity.userId, productId, next);
      });
    },
    updateCartItem: async (_, args, ctx) => {
      const identity = requireIdentity(ctx);
      const productId = productIdArg(args.productId);
      const quantity = quantityArg(args.quantity);
      const product = await ctx.products.load(productId);
      return change(ctx, identity, async (tx, lines) => {
        checkUpdate(lines, productId, quantity, product);
        await setLineQuantity(tx, identity.userId, productId, quantity);
      });
    },
    removeFromCart: async (_, args, ctx) => {
      const identity = requireIdentity(ctx);
      const productId = productIdArg(args.productId);
      return change(ctx, identity, (tx) => removeLine(tx, identity.userId, productId));
    },
    clearCart: async (_, __, ctx) => {
      const identity = requireIdentity(ctx);
      // Lines only: the checkout's choices (address, method, code) stay for the next cart.
      return change(ctx, identity, (tx) => removeAllLines(tx, identity.userId));
    },
  },
  Cart: {
    items: (cart) => cart.lines.map((line) => ({ ...line, cart })),
    itemCount: (cart) => itemCount(cart.lines),
    subtotal: async (cart, _, ctx) =>
      sum(await Promise.all(cart.lines.map((line) => lineTotal(line, ctx))), STORE_CURRENCY),
  },
  CartItem: {
    product: (line) => ({ __typename: 'Product', id: line.productId }),
    addedAt: (line) => line.addedAt.toISOString(),
    lineTotal: (line, _, ctx) => lineTotal(line, ctx),
  },
};
