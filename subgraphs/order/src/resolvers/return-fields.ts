/**
 * How returns read in the graph. A seller listing orders (order management) sees, like the
 * order's items, only the lines of their own products, and a refund that is the sum of those
 * lines: the other sellers' lines and the order's shipping are not theirs to see.
 */
import { money, sum } from '@shop/subgraph-kit';
import type { OrderContext } from '../context.ts';
import type { OrderWithItems } from '../data/orders.ts';
import type { ReturnWithLines } from '../data/return-writes.ts';
import type { Resolvers } from '../generated/resolvers-types.ts';
import { sellerScope } from './order-management.ts';

export function returnsVisibleTo(order: OrderWithItems, ctx: OrderContext): ReturnWithLines[] {
  const mine = sellerScope(order, ctx);
  if (!mine) return order.returns;
  return order.returns.flatMap((r) => {
    const lines = r.lines.filter((line) => mine.has(line.productId));
    return lines.length > 0 ? [{ ...r, lines, sellerView: true }] : [];
  });
}

/** A return as resolvers see it: `sellerView` when only a seller's lines are in it. */
export type ReturnView = ReturnWithLines & { sellerView?: boolean };
/** A return line with its return's currency. */
export type ReturnLineView = ReturnWithLines['lines'][number] & { currency: string };

export const returnResolvers: Pick<Resolvers, 'Return' | 'ReturnLine'> = {
  Return: {
    status: (r) => r.status,
    lines: (r) => r.lines.map((line) => ({ ...line, currency: r.currency })),
    refund: (r) => {
      if (r.status === 'REJECTED') return null;
      if (!r.sellerView) return money(r.refundAmount, r.currency);
      return sum(
        r.lines.map((line) => money(line.refundAmount, r.currency)),
        r.currency,
      );
    },
    reason: (r) => r.reason,
    rejectionReason: (r) => r.rejectionReason,
    createdAt: (r) => r.createdAt.toISOString(),
    updatedAt: (r) => r.updatedAt.toISOString(),
  },
  ReturnLine: {
    product: (line) => ({ __typename: 'Product', id: line.productId }),
    productName: (line) => line.productName,
    quantity: (line) => line.quantity,
    refund: (line) => money(line.refundAmount, line.currency),
  },
};
