import type { Prisma } from '@shop/prisma/order';
import {
  type FulfillmentEvent,
  type Order,
  type OrderItem,
  type PrismaClient,
  type Return,
  type ReturnLine,
  type WorkflowEvent,
} from '@shop/prisma/order';
import { OrderCancelled, createEvent, writeOutboxEvent } from '@shop/events';
import { afterTimeId } from '@shop/subgraph-kit';
import { releaseDiscountUse } from './discount-uses.ts';
import {
  transition,
  workflowEntryFor,
  type OrderEvent,
  type OrderStatus,
} from '../domain/order-status.ts';

export type OrderWithItems = Order & {
  items: OrderItem[];
  workflow: WorkflowEvent[];
  fulfillmentEvents: FulfillmentEvent[];
  returns: (Return & { lines: ReturnLine[] })[];
};
/** One fulfilment step as stored. */
export type FulfillmentEventRow = FulfillmentEvent;
/** An order line as resolvers see it: the order's currency travels with it. */
export type OrderItemWithCurrency = OrderItem & { currency: string };

const INCLUDE = {
  items: { orderBy: { productName: 'asc' } },
  workflow: { orderBy: { seq: 'asc' } },
  fulfillmentEvents: { orderBy: { seq: 'asc' } },
  returns: {
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    include: { lines: { orderBy: { productName: 'asc' } } },
  },
} satisfies Prisma.OrderInclude;

export function findOrder(prisma: PrismaClient, id: string): Promise<OrderWithItems | null> {
  return prisma.order.findUnique({ where: { id }, include: INCLUDE });
}

/**
 * The order and all it includes as of one moment. Prisma reads an include with a query per
 * relation: outside a transaction, the saga's next step committing between them gives a status
 * and a workflow of different moments, and live tracking rebuilt states that went backwards
 * (STOCK_RESERVED after PAID). One REPEATABLE READ transaction gives every query one snapshot.
 */
export function findOrderSnapshot(
  prisma: PrismaClient,
  id: string,
): Promise<OrderWithItems | null> {
  return prisma.$transaction((tx) => tx.order.findUnique({ where: { id }, include: INCLUDE }), {
    isolationLevel: 'RepeatableRead',
    maxWait: 10_000,
    timeout: 10_000,
  });
}

/** Orders by id, in the order of `ids` (ids without an order are left out). */
export async function findOrders(
  prisma: PrismaClient,
  ids: readonly string[],
): Promise<OrderWithItems[]> {
  const rows = await prisma.order.findMany({ where: { id: { in: [...ids] } }, include: INCLUDE });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export function findOrderByKey(
  prisma: PrismaClient,
  userId: string,
  idempotencyKey: string,
): Promise<OrderWithItems | null> {
  return prisma.order.findUnique({
    where: { userId_idempotencyKey: { userId, idempotencyKey } },
    include: INCLUDE,
  });
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
      include: INCLUDE,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
    }),
    prisma.order.count({ where: { userId } }),
  ]);
  return { rows, totalCount };
}

/**
 * Applies a status event to an order through the state machine, with optimistic concurrency:
 * the row changes only if its status is still the one the transition was computed from, and
 * the workflow event is written in the same transaction. A concurrent change makes it re-read
 * and re-decide (which may then refuse, for example cancelling an order that just completed).
 */
export async function applyOrderEvent(
  prisma: PrismaClient,
  orderId: string,
  event: OrderEvent,
  options: { ordersTopic?: string } = {},
): Promise<OrderWithItems> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await prisma.order.findUniqueOrThrow({
      where: { id: orderId },
      select: { status: true, userId: true },
    });
    const from = current.status as OrderStatus;
    const next = transition(from, event);
    const entry = workflowEntryFor(event);
    const changed = await prisma.$transaction(async (tx) => {
      const { count } = await tx.order.updateMany({
        where: { id: orderId, status: from },
        data: { status: next.status, cancelReason: next.cancelReason },
      });
      if (count === 0) return false;
      await tx.workflowEvent.create({ data: { orderId, ...entry } });
      if (next.status === 'CANCELLED') {
        await releaseDiscountUse(tx, orderId);
        await writeOutboxEvent(
          tx,
          createEvent(OrderCancelled, orderId, {
            orderId,
            userId: current.userId,
            reason: next.cancelReason ?? 'cancelled',
            previousStatus: from,
          }),
          { topic: options.ordersTopic },
        );
      }
      return true;
    });
    if (changed) return (await findOrder(prisma, orderId))!;
  }
  throw new Error(`order ${orderId}: status kept changing under a concurrent writer`);
}
