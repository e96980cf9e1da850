import type { Order, OrderItem, PrismaClient } from '@shop/prisma/order';
import { afterTimeId } from '@shop/subgraph-kit';

export type OrderWithItems = Order & { items: OrderItem[] };
/** An order line as resolvers see it: the order's currency travels with it. */
export type OrderItemWithCurrency = OrderItem & { currency: string };

export function findOrder(prisma: PrismaClient, id: string): Promise<OrderWithItems | null> {
  return prisma.order.findUnique({ where: { id }, include: { items: true } });
}

/** Newest first by (createdAt, id), matching the (user_id, created_at, id) index. */
export async function listOrdersOf(
  prisma: PrismaClient,
  userId: string,
  limit: number,
  after: { createdAt: Date; id: string } | null,
) {
  const [rows, totalCount] = await Promise.all([
    prisma.order.findMany({
      where: { userId, ...afterTimeId(after) },
      include: { items: true },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
    }),
    prisma.order.count({ where: { userId } }),
  ]);
  return { rows, totalCount };
}
