/**
 * Who may move an order's parcel by hand: admins any order, sellers the orders holding at least
 * one of their products, customers none (FORBIDDEN, whatever the order). For a seller, an order
 * without their products answers like a missing one (NOT_FOUND): it is not among the orders
 * they see (the seller's order list will show the same set), as another customer's order is
 * NOT_FOUND to a customer.
 */
import { DomainError } from '@shop/subgraph-kit';
import type { FulfillmentActor } from './fulfillment-status.ts';

/** The actor a signed-in user acts as; throws FORBIDDEN for customers (and unknown roles). */
export function handActorFor(role: string): Extract<FulfillmentActor, 'SELLER' | 'ADMIN'> {
  if (role === 'ADMIN' || role === 'SELLER') return role;
  throw new DomainError('FORBIDDEN', 'Only a seller of the order or an administrator may do this');
}

/** Whether a seller user managing `mySellerIds` sells any of the order's products. */
export function sellerHoldsOrder(
  mySellerIds: readonly string[],
  sellerOfProducts: readonly (string | null)[],
): boolean {
  const mine = new Set(mySellerIds);
  return sellerOfProducts.some((seller) => seller !== null && mine.has(seller));
}
