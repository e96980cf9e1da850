import type { CartItem } from '@shop/prisma/cart';
import { requireIdentity } from '@shop/subgraph-kit';
import type { CartContext } from '../context.ts';
import { cartItemsOf } from '../data/cart-items.ts';
import type { Resolvers } from '../generated/resolvers-types.ts';

export const resolvers: Resolvers = {
  Query: {
    cart: async (_: unknown, __: unknown, ctx: CartContext) => {
      const { userId } = requireIdentity(ctx);
      const items = await cartItemsOf(ctx.prisma, userId);
      return { items, itemCount: items.reduce((sum, item) => sum + item.quantity, 0) };
    },
  },
  CartItem: {
    product: (item: CartItem) => ({ __typename: 'Product', id: item.productId }),
    addedAt: (item: CartItem) => item.addedAt.toISOString(),
  },
};
