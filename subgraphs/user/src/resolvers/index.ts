import { requireIdentity, isId } from '@shop/subgraph-kit';
import type { UserContext } from '../context.ts';
import type { UserRecord } from '../domain/ports.ts';
import type { Resolvers } from '../generated/resolvers-types.ts';
import { addressMutations, addressQueries, userAddresses } from './addresses.ts';
import { internalLookups } from './internal-lookups.ts';
import { markSignedIn, seesPrivateFields } from './visibility.ts';

export const resolvers: Resolvers = {
  Query: {
    me: (_: unknown, __: unknown, ctx: UserContext) =>
      ctx.identity ? ctx.users.load(ctx.identity.userId) : null,
    ...addressQueries,
    ...internalLookups,
  },
  Mutation: {
    // Refusals of the use cases are DomainErrors, translated where every error is (maskError).
    register: (_, { input }, ctx) => ctx.accounts.register(input, ctx.clientAddress),
    login: (_, { email, password }, ctx) => ctx.accounts.login(email, password, ctx.clientAddress),
    refreshToken: (_, { token }, ctx) => ctx.accounts.refresh(token),
    logout: (_, __, ctx) => ctx.accounts.logout(requireIdentity(ctx)),
    updateProfile: (_, { input }, ctx) => ctx.accounts.updateProfile(requireIdentity(ctx), input),
    ...addressMutations,
  },
  AuthPayload: {
    user: (payload) => markSignedIn(payload.user),
  },
  User: {
    __resolveReference: (ref: { id: string }, ctx: UserContext) =>
      isId(ref.id) ? ctx.users.load(ref.id) : null,
    // Private: null for anyone but the user and admins (reviews show their authors to everyone).
    email: (u: UserRecord, _: unknown, ctx: UserContext) =>
      seesPrivateFields(u, ctx) ? u.email : null,
    ...userAddresses,
    createdAt: (u: UserRecord) => u.createdAt.toISOString(),
  },
};
