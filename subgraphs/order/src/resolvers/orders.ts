import type { Identity } from '@shop/auth';
import { badUserInput, DomainError, notFound, parseId, requireIdentity } from '@shop/subgraph-kit';
import type { OrderContext } from '../context.ts';
import { findOrder, findOrderByKey, type OrderWithItems } from '../data/orders.ts';
import { applyRequestedOrderEvent } from '../data/saga-writes.ts';
import { findDiscountCode } from '../data/discount-codes.ts';
import {
  DuplicateIdempotencyKeyError,
  insertOrder,
  type Placement,
} from '../data/place-order-writes.ts';
import { readCartOf, type CartCheckout } from '../data/peers.ts';
import { quoteCheckout } from '../domain/checkout-quote.ts';
import { watchOrder } from '../events/order-updates.ts';
import { MAX_CANCEL_REASON_LENGTH } from '../domain/order-status.ts';
import { statesSince } from '../domain/order-history.ts';
import { priceSnapshot, validateIdempotencyKey } from '../domain/place-order.ts';
import { priceFor, type Priced } from './checkout.ts';

const canSee = (order: OrderWithItems, identity: Identity) =>
  order.userId === identity.userId || identity.role === 'ADMIN';

/**
 * placeOrder: the same (user, key) always yields the same order. A retry finds it before doing
 * any work; concurrent first attempts all price the cart, the database's unique index lets
 * exactly one insert win, and the others answer with the winner's order.
 *
 * The cart must hold an address and a method; the order is priced by the same code that priced
 * the cart (checkout.ts) and keeps what it was priced with. With a discount code, the code's row
 * is locked, its uses counted and the order written in one transaction, so N customers racing
 * for the last use get exactly one.
 */
export async function placeOrder(ctx: OrderContext, rawKey: string): Promise<OrderWithItems> {
  const identity = requireIdentity(ctx);
  const key = validateIdempotencyKey(rawKey);
  return ctx.placements.run(async () => {
    // A retry finds its order before doing any work, in one statement (a first attempt costs
    // one indexed read: with no order, the statement reads nothing else).
    const existing = await findOrderByKey(ctx.db, identity.userId, key);
    if (existing) return existing;
    const cart = await readCartOf(ctx.cart, identity);
    const { shippingAddress: address, shippingMethodId } = requireCheckoutChoices(cart);
    const priced = await priceFor(ctx, identity.userId, cart.lines, {
      country: address.country,
      shippingMethodId,
      discountCode: cart.discountCode,
    });
    const placement = placementOf(priced, cart, address);
    try {
      const order = priced.quote.discount
        ? await placeWithDiscount(ctx, identity.userId, key, priced, placement)
        : await insertOrder(ctx.db, identity.userId, key, placement);
      ctx.funnel.placed();
      await ctx.orderUpdates.publish(order);
      return order;
    } catch (error) {
      if (!(error instanceof DuplicateIdempotencyKeyError)) throw error;
      const winner = await findOrderByKey(ctx.db, identity.userId, key);
      if (!winner) throw new Error('idempotency key conflict without an order', { cause: error });
      return winner;
    }
  });
}

function requireCheckoutChoices(cart: CartCheckout) {
  if (cart.lines.length === 0)
    throw new DomainError('BAD_USER_INPUT', 'The cart is empty: add products first');
  if (!cart.shippingAddress)
    throw new DomainError(
      'BAD_USER_INPUT',
      'Choose a shipping address for the cart before placing the order (setCartShippingAddress)',
      { field: 'shippingAddress' },
    );
  if (!cart.shippingMethodId)
    throw new DomainError(
      'BAD_USER_INPUT',
      'Choose a shipping method for the cart before placing the order (setCartShippingMethod)',
      { field: 'shippingMethod' },
    );
  return { shippingAddress: cart.shippingAddress, shippingMethodId: cart.shippingMethodId };
}

/** The order to write, or the refusal of a choice that does not apply any more. */
function placementOf(
  priced: Priced,
  cart: CartCheckout,
  shippingAddress: Record<string, unknown>,
): Placement {
  const { quote } = priced;
  for (const line of cart.lines)
    if (priced.products.get(line.productId)?.deletedAt)
      throw new DomainError(
        'NOT_FOUND',
        `${priced.products.get(line.productId)!.name} is no longer sold: remove it from the cart`,
        { productId: line.productId },
      );
  // Stock, names and the catalog's prices as the order keeps them.
  const snapshot = priceSnapshot(cart.lines, priced.products);
  if (!quote.shipping)
    throw new DomainError(
      'BAD_USER_INPUT',
      quote.shippingProblem ?? 'The shipping method does not apply',
      { field: 'shippingMethod' },
    );
  if (quote.discountProblem)
    throw new DomainError(quote.discountProblem.code, quote.discountProblem.message, {
      field: 'discountCode',
      reason: quote.discountProblem.reason,
    });
  return {
    snapshot,
    totals: quote.totals,
    shippingAddress,
    shipping: quote.shipping,
    discount: quote.discount,
    discountCodeId: null,
    cartVersion: cart.linesVersion,
  };
}

/**
 * Writes an order that uses a discount code: under the code's row lock, its uses are counted
 * again (another order may have taken the last one since the quote) and the order takes one.
 */
async function placeWithDiscount(
  ctx: OrderContext,
  userId: string,
  key: string,
  priced: Priced,
  placement: Placement,
): Promise<OrderWithItems> {
  const client = await ctx.db.connect();
  try {
    await client.query('BEGIN');
    const code = await findDiscountCode(client, priced.quote.discount!.code, userId, {
      lock: true,
    });
    const fresh = quoteCheckout({
      lines: priced.lines,
      rules: priced.rules,
      choices: priced.choices,
      code,
      now: new Date(),
    });
    if (fresh.discountProblem || !fresh.discount || !code)
      throw new DomainError(
        fresh.discountProblem?.code ?? 'CONFLICT',
        fresh.discountProblem?.message ?? 'The discount code no longer applies',
        { field: 'discountCode', reason: fresh.discountProblem?.reason },
      );
    const order = await insertOrder(client, userId, key, {
      ...placement,
      totals: fresh.totals,
      discount: fresh.discount,
      discountCodeId: code.id,
    });
    await client.query('COMMIT');
    return order;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
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
  const order = await findOrder(ctx.db, id);
  // Someone else's order answers exactly like a missing one, so ids cannot be probed.
  if (!order || !canSee(order, identity)) throw notFound('No such order');
  const byOwner = order.userId === identity.userId;
  const event = {
    type: 'CANCEL' as const,
    reason: reason ?? (byOwner ? 'Cancelled by the customer' : 'Cancelled by an administrator'),
  };
  // Under the order's row lock, as the saga moves it: an order that can no longer be cancelled
  // (the saga completed it meanwhile) is InvalidTransitionError, a CONFLICT for the client.
  await applyRequestedOrderEvent(ctx.db, id, event);
  const cancelled = (await findOrder(ctx.db, id))!;
  ctx.funnel.cancelled(byOwner ? 'customer' : 'admin');
  // After the commit: subscribers on every instance re-read the order.
  await ctx.orderUpdates.publish(cancelled);
  return cancelled;
}

export async function orderFor(ctx: OrderContext, rawId: string): Promise<OrderWithItems | null> {
  const identity = requireIdentity(ctx);
  const order = await findOrder(ctx.db, parseId(rawId));
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
    () => findOrder(ctx.db, id),
    (order) => {
      if (!order || !canSee(order, identity)) throw notFound('No such order');
      return order;
    },
    statesSince,
  );
}
