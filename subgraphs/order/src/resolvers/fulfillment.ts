/**
 * markPacked / markShipped / markDelivered: who may act (fulfillment-access), the input, then
 * one locked transaction (fulfillment-writes) and, after its commit, the announcement that
 * live tracking sends on.
 */
import { notFound, parseId, requireIdentity } from '@shop/subgraph-kit';
import type { OrderContext } from '../context.ts';
import { applyFulfillmentStep, type ShipmentStep } from '../data/fulfillment-writes.ts';
import { findOrder, type OrderWithItems } from '../data/orders.ts';
import { sellerView } from '../data/peers.ts';
import { handActorFor, sellerHoldsOrder } from '../domain/fulfillment-access.ts';
import { parseShipment } from '../domain/fulfillment-status.ts';

export async function markPacked(ctx: OrderContext, orderId: string) {
  return fulfil(ctx, orderId, () => ({ type: 'PACK' }));
}

export async function markShipped(
  ctx: OrderContext,
  orderId: string,
  carrier: string,
  trackingNumber: string,
) {
  return fulfil(ctx, orderId, () => ({ type: 'SHIP', ...parseShipment(carrier, trackingNumber) }));
}

export async function markDelivered(ctx: OrderContext, orderId: string) {
  return fulfil(ctx, orderId, () => ({ type: 'DELIVER' }));
}

async function fulfil(
  ctx: OrderContext,
  rawId: string,
  stepOf: () => ShipmentStep,
): Promise<OrderWithItems> {
  const identity = requireIdentity(ctx);
  const actor = handActorFor(identity.role);
  const id = parseId(rawId);
  const step = stepOf();
  const order = await findOrder(ctx.db, id);
  if (!order) throw notFound('No such order');
  if (actor === 'SELLER') {
    const productIds = [...new Set(order.items.map((item) => item.productId))];
    const view = await sellerView(ctx.catalog, identity, productIds);
    if (!sellerHoldsOrder(view.mySellerIds, view.sellerOf)) throw notFound('No such order');
    // The answer shows a seller their own lines only, as their order list does.
    const mine = new Set(view.mySellerIds);
    ctx.sellerProducts = new Set(productIds.filter((_, i) => mine.has(view.sellerOf[i] ?? '')));
  }
  const changed = await applyFulfillmentStep(ctx.prisma, id, step, {
    actor,
    userId: identity.userId,
  });
  // A repeat changed nothing; it still answers with the order as it is now (also when a
  // concurrent step won the lock).
  const updated = (await findOrder(ctx.db, id))!;
  // After the commit: subscribers on every instance re-read the order.
  if (changed) await ctx.orderUpdates.publish(updated);
  return updated;
}
