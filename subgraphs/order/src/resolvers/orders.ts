import type { Identity } from '@shop/auth';
import { badUserInput, notFound, parseId, requireIdentity } from '@shop/subgraph-kit';
import type { OrderContext } from '../context.ts';
import { applyOrderEvent, findOrder, findOrderByKey, type OrderWithItems } from '../data/orders.ts';
import {
  DuplicateIdempotencyKeyError,
  insertOrder,
  orderIdByKey,
} from '../data/place-order-writes.ts';
import { readCartOf } from '../data/peers.ts';
import { watchOrder } from '../events/order-updates.ts';
import { MAX_CANCEL_REASON_LENGTH, statesSince } from '../domain/order-status.ts';
import { priceSnapshot, validateIdempotencyKey } from '../domain/place-order.ts';
import { loadProducts } from './checkout.ts';

const canSee = (order: OrderWithItems, identity: Identity) =>
  order.userId === identity.userId || identity.role === 'ADMIN';

/**
 * placeOrder: the same (user, key) always yields the same order. A retry finds it before doing
 * any work; concurrent first attempts all build a snapshot, the database's unique index lets
 * exactly one insert win, and the others answer with the winner's order.
 */
export async function placeOrder(ctx: OrderContext, rawKey: string): Promise<OrderWithItems> {
  const identity = requireIdentity(ctx);
  const key = validateIdempotencyKey(rawKey);
  return ctx.placements.run(async () => {
    // A retry finds its order before doing any work (a first attempt costs one indexed read).
    const existing = await orderIdByKey(ctx.db, identity.userId, key);
    if (existing) return (await findOrder(ctx.prisma, existing))!;
    const lines = await readCartOf(ctx.cart, identity);
    const products = await loadProducts(ctx, lines);
    const snapshot = priceSnapshot(lines, products);
    try {
      const order = await insertOrder(ctx.db, identity.userId, key, snapshot);
      await ctx.orderUpdates.publish(order);
      return order;
    } catch (error) {
      if (!(error instanceof DuplicateIdempotencyKeyError)) throw error;
      const winner = await findOrderByKey(ctx.prisma, identity.userId, key);
      if (!winner) throw new Error('idempotency key conflict without an order', { cause: error });
      return winner;
    }
  });
}

export async function cancelOrder(
  ctx: OrderContext,
  rawId: string,
  rawReason: string | null | undefined,
): Promise<OrderWithItems> {
  const identity = requireIdentity(ctx);
  const id = parseId(rawId);
  const reason = rawReason?.trim();
  if (reason !== undefined && (reason === '' || reason.length > MAX_CANCEL_REASON_LENGTH))
    throw badUserInput(`reason must have 1 to ${MAX_CANCEL_REASON_LENGTH} characters`, 'reason');
  const order = await findOrder(ctx.prisma, id);
  // Someone else's order answers exactly like a missing one, so ids cannot be probed.
  if (!order || !canSee(order, identity)) throw notFound('No such order');
  const byOwner = order.userId === identity.userId;
  // An order that can no longer be cancelled: InvalidTransitionError, a CONFLICT for the client.
  const cancelled = await applyOrderEvent(ctx.prisma, id, {
    type: 'CANCEL',
    reason: reason ?? (byOwner ? 'Cancelled by the customer' : 'Cancelled by an administrator'),
  });
  // After the commit: subscribers on every instance re-read the order.
  await ctx.orderUpdates.publish(cancelled);
  return cancelled;
}

export async function orderFor(ctx: OrderContext, rawId: string): Promise<OrderWithItems | null> {
  const identity = requireIdentity(ctx);
  const order = await findOrder(ctx.prisma, parseId(rawId));
  return order && canSee(order, identity) ? order : null;
}

/**
 * Subscription.orderUpdated: the order's current state, then one state per change. Someone
 * else's order is refused exactly like a missing one (NOT_FOUND), as cancelOrder does.
 */
export async function orderUpdatesFor(
  ctx: OrderContext,
  rawId: string,
): Promise<AsyncIterableIterator<OrderWithItems>> {
  const identity = requireIdentity(ctx);
  const id = parseId(rawId);
  return watchOrder(
    ctx.orderUpdates,
    id,
    () => findOrder(ctx.prisma, id),
    (order) => {
      if (!order || !canSee(order, identity)) throw notFound('No such order');
      return order;
    },
    statesSince,
  );
}
