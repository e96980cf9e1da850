import { DomainError } from '@shop/subgraph-kit';

export interface Caller {
  userId: string;
  role: 'CUSTOMER' | 'SELLER' | 'ADMIN';
}

/** ADMIN manages every seller's products; a SELLER only those of sellers they own. */
export function assertManagesSeller(caller: Caller, seller: { ownerUserId: string | null }): void {
  if (caller.role === 'ADMIN') return;
  if (caller.role === 'SELLER' && seller.ownerUserId === caller.userId) return;
  throw new DomainError(
    'FORBIDDEN',
    caller.role === 'SELLER'
      ? "You can only manage your own seller's products"
      : 'Only sellers and admins can manage products',
  );
}

/** A seller's profile: ADMIN for every seller, a SELLER only for the sellers they own. */
export function assertOwnsSeller(caller: Caller, seller: { ownerUserId: string | null }): void {
  if (caller.role === 'ADMIN') return;
  if (caller.role === 'SELLER' && seller.ownerUserId === caller.userId) return;
  throw new DomainError(
    'FORBIDDEN',
    caller.role === 'SELLER'
      ? 'You can only change sellers you own'
      : 'Only sellers and admins can manage sellers',
  );
}

/**
 * Who a new seller belongs to: a SELLER opens sellers for themselves only; an ADMIN names the
 * owner (a SELLER user) or none, in which case only admins manage it.
 */
export function sellerOwnerFor(caller: Caller, requestedOwner: string | null): string | null {
  if (caller.role === 'ADMIN') return requestedOwner;
  if (caller.role === 'SELLER' && (requestedOwner === null || requestedOwner === caller.userId))
    return caller.userId;
  throw new DomainError(
    'FORBIDDEN',
    caller.role === 'SELLER'
      ? 'A seller can only open sellers for themselves'
      : 'Only sellers and admins can open sellers',
    { field: 'ownerUserId' },
  );
}

/** A review may be deleted by its author or an ADMIN. */
export function assertManagesReview(caller: Caller, review: { userId: string }): void {
  if (caller.role === 'ADMIN' || review.userId === caller.userId) return;
  throw new DomainError('FORBIDDEN', 'Only the author or an admin can delete a review');
}
