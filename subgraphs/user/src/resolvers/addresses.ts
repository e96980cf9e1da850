import { DomainError, parseId, requireIdentity } from '@shop/subgraph-kit';
import type { UserContext } from '../context.ts';
import type { AddressRecord } from '../domain/addresses.ts';
import type {
  MutationResolvers,
  QueryResolvers,
  UserResolvers,
} from '../generated/resolvers-types.ts';
import { seesPrivateFields } from './visibility.ts';

/** After a change, a later read of the same request must not get the book cached before it. */
function changed<T>(ctx: UserContext, userId: string, result: T): T {
  ctx.addresses.clear(userId);
  return result;
}

/** The caller's address book: every mutation acts on the signed-in user's own addresses. */
export const addressMutations: Required<
  Pick<MutationResolvers, 'addAddress' | 'updateAddress' | 'removeAddress' | 'setDefaultAddress'>
> = {
  addAddress: async (_, { input }, ctx) => {
    const { userId } = requireIdentity(ctx);
    return changed(ctx, userId, await ctx.addressBook.add(userId, input));
  },
  updateAddress: async (_, args, ctx) => {
    const { userId } = requireIdentity(ctx);
    const id = parseId(args.id);
    return changed(ctx, userId, await ctx.addressBook.update(userId, id, args.input));
  },
  removeAddress: async (_, args, ctx) => {
    const { userId } = requireIdentity(ctx);
    const id = parseId(args.id);
    return changed(ctx, userId, await ctx.addressBook.remove(userId, id));
  },
  setDefaultAddress: async (_, args, ctx) => {
    const { userId } = requireIdentity(ctx);
    const id = parseId(args.id);
    return changed(ctx, userId, await ctx.addressBook.setDefault(userId, id));
  },
};

export const addressQueries: Required<Pick<QueryResolvers, 'userAddress'>> = {
  /**
   * Internal (@inaccessible: not in the gateway's API). Called by other services with a caller
   * identity signed with the internal secret, as the order service calls the cart: on the
   * user's behalf (their own addresses) or as an admin.
   */
  userAddress: async (_, args, ctx) => {
    const identity = requireIdentity(ctx);
    const userId = parseId(args.userId, 'userId');
    const id = parseId(args.id);
    if (identity.userId !== userId && identity.role !== 'ADMIN')
      throw new DomainError('FORBIDDEN', "Only the user and admins may read a user's addresses");
    return ctx.addressBook.find(userId, id);
  },
};

export const userAddresses: Required<Pick<UserResolvers<UserContext>, 'addresses'>> = {
  // Private like the e-mail address, but refused rather than null: the list cannot be null.
  addresses: (user, _, ctx): Promise<AddressRecord[]> => {
    if (!seesPrivateFields(user, ctx))
      throw new DomainError('FORBIDDEN', "Only the user and admins may see a user's addresses");
    return ctx.addresses.load(user.id);
  },
};
