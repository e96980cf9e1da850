/**
 * requestReturn (the order's customer), approveReturn / rejectReturn / markReturnReceived (an
 * admin, or a seller whose products are every line of the return), then after the commit the
 * announcement that live tracking sends on.
 */
import { DomainError, notFound, parseId, requireIdentity } from '@shop/subgraph-kit';
import type { OrderContext } from '../context.ts';
import { findOrder } from '../data/orders.ts';
import { sellerView } from '../data/peers.ts';
import {
  applyReturnStep,
  findReturn,
  requestReturn as writeReturnRequest,
  type ReturnStepInput,
  type ReturnWithLines,
} from '../data/return-writes.ts';
import { handActorFor } from '../domain/fulfillment-access.ts';
import { parseReturnReason } from '../domain/return-status.ts';

export async function requestReturn(
  ctx: OrderContext,
  rawOrderId: string,
  lines: readonly { productId: string; quantity: number }[],
  rawReason: string,
): Promise<ReturnWithLines> {
  const identity = requireIdentity(ctx);
  const orderId = parseId(rawOrderId);
  const reason = parseReturnReason(rawReason);
  const parsedLines = lines.map((line, i) => {
    try {
      return { productId: parseId(line.productId), quantity: line.quantity };
    } catch {
      throw new DomainError('BAD_USER_INPUT', 'productId must be a product id', {
        field: `lines.${i}.productId`,
      });
    }
  });
  const created = await writeReturnRequest(ctx.prisma, {
    orderId,
    userId: identity.userId,
    lines: parsedLines,
    reason,
    windowDays: ctx.returnWindowDays,
  });
  await announce(ctx, orderId);
  return created;
}

export const approveReturn = (ctx: OrderContext, id: string) =>
  decide(ctx, id, { type: 'APPROVE' });

export const rejectReturn = (ctx: OrderContext, id: string, reason: string) =>
  decide(ctx, id, { type: 'REJECT', reason: parseReturnReason(reason) });

export const markReturnReceived = (ctx: OrderContext, id: string) =>
  decide(ctx, id, { type: 'RECEIVE' });

async function decide(
  ctx: OrderContext,
  rawId: string,
  step: ReturnStepInput,
): Promise<ReturnWithLines> {
  const identity = requireIdentity(ctx);
  const actor = handActorFor(identity.role);
  const id = parseId(rawId);
  const existing = await findReturn(ctx.prisma, id);
  if (!existing) throw notFound('No such return');
  if (actor === 'SELLER') {
    const productIds = existing.lines.map((line) => line.productId);
    const view = await sellerView(ctx.catalog, identity, productIds);
    const mine = new Set(view.mySellerIds);
    const owned = view.sellerOf.filter((seller) => seller !== null && mine.has(seller)).length;
    // A return none of whose lines is theirs is not among the seller's orders; one that also
    // holds other sellers' products is decided by an administrator.
    if (owned === 0) throw notFound('No such return');
    if (owned < productIds.length)
      throw new DomainError(
        'FORBIDDEN',
        "This return holds other sellers' products: an administrator decides it",
      );
  }
  const { changed, value } = await applyReturnStep(ctx.prisma, id, step, {
    actor,
    userId: identity.userId,
  });
  if (changed) await announce(ctx, value.orderId);
  return value;
}

/** After the commit: subscribers on every instance get the order as it is now. */
async function announce(ctx: OrderContext, orderId: string): Promise<void> {
  const order = await findOrder(ctx.db, orderId);
  if (order) await ctx.orderUpdates.publish(order);
}
