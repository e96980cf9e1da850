import {
  Prisma,
  type Order,
  type OrderItem,
  type PrismaClient,
  type WorkflowEvent,
} from '@shop/prisma/order';
import { randomUUID } from 'node:crypto';
import { OrderCancelled, OrderPlaced, createEvent, writeOutboxEvent } from '@shop/events';
import { afterTimeId } from '@shop/subgraph-kit';
import {
  transition,
  workflowEntryFor,
  type OrderEvent,
  type OrderStatus,
} from '../domain/order-status.ts';
import type { PriceSnapshot } from '../domain/place-order.ts';

export type OrderWithItems = Order & { items: OrderItem[]; workflow: WorkflowEvent[] };
/** An order line as resolvers see it: the order's currency travels with it. */
export type OrderItemWithCurrency = OrderItem & { currency: string };

const INCLUDE = {
  items: { orderBy: { productName: 'asc' } },
  workflow: { orderBy: { seq: 'asc' } },
} satisfies Prisma.OrderInclude;

export function findOrder(prisma: PrismaClient, id: string): Promise<OrderWithItems | null> {
  return prisma.order.findUnique({ where: { id }, include: INCLUDE });
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

export class DuplicateIdempotencyKeyError extends Error {}

/**
 * Inserts a PENDING order with its lines and its first workflow event in one transaction.
 * The unique (user_id, idempotency_key) index decides between concurrent placements with the
 * same key: exactly one insert commits, the others get DuplicateIdempotencyKeyError.
 * The OrderPlaced event goes to the outbox in the same transaction: published if and only if
 * the order exists.
 */
export async function insertOrder(
  prisma: PrismaClient,
  userId: string,
  idempotencyKey: string,
  snapshot: PriceSnapshot,
): Promise<OrderWithItems> {
  const id = randomUUID();
  const placed = createEvent(OrderPlaced, id, {
    orderId: id,
    userId,
    items: snapshot.lines.map((line) => ({
      productId: line.productId,
      quantity: line.quantity,
      unitPrice: { amount: line.unitPrice, currency: snapshot.currency },
    })),
    total: { amount: snapshot.total, currency: snapshot.currency },
  });
  try {
    return await prisma.$transaction(async (tx) => {
      const order = await tx.order.create({
        data: {
          id,
          userId,
          idempotencyKey,
          status: 'PENDING',
          totalAmount: snapshot.total,
          currency: snapshot.currency,
          items: { create: snapshot.lines },
          workflow: {
            create: {
              step: 'ORDER',
              event: 'PLACED',
              detail: `${snapshot.lines.length} line(s), total ${snapshot.total} ${snapshot.currency}`,
            },
          },
        },
        include: INCLUDE,
      });
      await writeOutboxEvent(tx, placed);
      return order;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
      throw new DuplicateIdempotencyKeyError(idempotencyKey, { cause: error });
    throw error;
  }
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
      if (next.status === 'CANCELLED')
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
      return true;
    });
    if (changed) return (await findOrder(prisma, orderId))!;
  }
  throw new Error(`order ${orderId}: status kept changing under a concurrent writer`);
}
