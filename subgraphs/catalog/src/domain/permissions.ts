import { CatalogError } from './errors.ts';

export interface Caller {
  userId: string;
  role: 'CUSTOMER' | 'SELLER' | 'ADMIN';
}

/** ADMIN manages every seller's products; a SELLER only those of sellers they own. */
export function assertManagesSeller(caller: Caller, seller: { ownerUserId: string | null }): void {
  if (caller.role === 'ADMIN') return;
  if (caller.role === 'SELLER' && seller.ownerUserId === caller.userId) return;
  throw new CatalogError(
    'FORBIDDEN',
    caller.role === 'SELLER'
      ? "You can only manage your own seller's products"
      : 'Only sellers and admins can manage products',
  );
}
