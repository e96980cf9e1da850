/** The checkout's choices a cart holds, and the prices the order service quotes for it. */
import { parseId, requireIdentity } from '@shop/subgraph-kit';
import type { CartContext } from '../context.ts';
import {
  applyDiscountCode,
  chooseShippingAddress,
  chooseShippingMethod,
  removeDiscountCode,
  type CartState,
} from '../domain/checkout-choices.ts';
import type { Resolvers } from '../generated/resolvers-types.ts';
import { cartView, type CartItemView } from './cart-view.ts';

const viewOf = (ctx: CartContext, identity: Parameters<typeof cartView>[1], state: CartState) =>
  cartView(ctx, identity, state.lines, state.choices);

async function quotedLine(item: CartItemView) {
  const quote = await item.cart.quote();
  const line = quote.lines.find((l) => l.productId === item.productId);
  if (!line) throw new Error(`checkoutQuote has no line for product ${item.productId}`);
  return line;
}

export const checkoutResolvers: Resolvers = {
  Mutation: {
    setCartShippingAddress: async (_, args, ctx) => {
      const identity = requireIdentity(ctx);
      const addressId = parseId(args.addressId, 'addressId');
      return viewOf(ctx, identity, await chooseShippingAddress(ctx.checkout, identity, addressId));
    },
    setCartShippingMethod: async (_, args, ctx) => {
      const identity = requireIdentity(ctx);
      const methodId = parseId(args.methodId, 'methodId');
      return viewOf(ctx, identity, await chooseShippingMethod(ctx.checkout, identity, methodId));
    },
    applyDiscountCode: async (_, args, ctx) => {
      const identity = requireIdentity(ctx);
      const state = await ctx.codeAttempts.attempt(identity.userId, () =>
        applyDiscountCode(ctx.checkout, identity, args.code),
      );
      return viewOf(ctx, identity, state);
    },
    removeDiscountCode: async (_, __, ctx) => {
      const identity = requireIdentity(ctx);
      return viewOf(ctx, identity, await removeDiscountCode(ctx.checkout, identity));
    },
  },
  Cart: {
    shippingAddress: async (cart) => (await cart.choices()).shippingAddress,
    discountCode: async (cart) => (await cart.choices()).discountCode,
    // What needs no price is answered without asking the order service.
    shippingMethod: async (cart) => {
      const { shippingAddress, shippingMethodId } = await cart.choices();
      return shippingAddress && shippingMethodId ? (await cart.quote()).shippingMethod : null;
    },
    shippingOptions: async (cart) =>
      (await cart.choices()).shippingAddress ? (await cart.quote()).shippingOptions : [],
    discountProblem: async (cart) =>
      (await cart.choices()).discountCode
        ? ((await cart.quote()).discountProblem?.message ?? null)
        : null,
    totals: async (cart) => (await cart.quote()).totals,
    shippingMethodId: async (cart) => (await cart.choices()).shippingMethodId,
    linesVersion: (cart) => cart.linesVersion(),
  },
  CartItem: {
    discount: async (item) => (await quotedLine(item)).discount,
    tax: async (item) => (await quotedLine(item)).tax,
  },
};
