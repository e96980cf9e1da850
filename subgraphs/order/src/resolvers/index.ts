import {
  money,
  pageSize,
  parseId,
  parseTimeIdCursor,
  requireIdentity,
  timeIdCursor,
  toConnection,
} from '@shop/subgraph-kit';
import type { OrderItem } from '@shop/prisma/order';
import type { OrderContext } from '../context.ts';
import { findOrder, listOrdersOf, type OrderWithItems } from '../data/orders.ts';
import type { Resolvers } from '../generated/resolvers-types.ts';

export const resolvers: Resolvers = {
  Query: {
    order: async (_: unknown, args: { id: string }, ctx: OrderContext) => {
      const identity = requireIdentity(ctx);
      const order = await findOrder(ctx.prisma, parseId(args.id));
      // Someone else's order answers exactly like a missing one, so ids cannot be probed.
      if (!order || (order.userId !== identity.userId && identity.role !== 'ADMIN')) return null;
      return order;
    },
    myOrders: async (
      _: unknown,
      args: { first?: number | null; after?: string | null },
      ctx: OrderContext,
    ) => {
      const { userId } = requireIdentity(ctx);
      const limit = pageSize(args.first);
      const page = await listOrdersOf(ctx.prisma, userId, limit, parseTimeIdCursor(args.after));
      return toConnection(page.rows, limit, page.totalCount, timeIdCursor);
    },
  },
  Order: {
    __resolveReference: async (ref: { id: string }, ctx: OrderContext) => {
      if (!ctx.identity) return null;
      const order = await findOrder(ctx.prisma, ref.id);
      return order && (order.userId === ctx.identity.userId || ctx.identity.role === 'ADMIN')
        ? order
        : null;
    },
    total: (o: OrderWithItems) => money(o.totalAmount, o.currency),
    items: (o: OrderWithItems) => o.items.map((item) => ({ ...item, currency: o.currency })),
    createdAt: (o: OrderWithItems) => o.createdAt.toISOString(),
    updatedAt: (o: OrderWithItems) => o.updatedAt.toISOString(),
  },
  OrderItem: {
    product: (item: OrderItem) => ({ __typename: 'Product', id: item.productId }),
    unitPrice: (item: OrderItem & { currency: string }) => money(item.unitPrice, item.currency),
    lineTotal: (item: OrderItem & { currency: string }) =>
      money(item.unitPrice.mul(item.quantity), item.currency),
  },
};
