import { requireIdentity, isId } from '@shop/subgraph-kit';
import type { UserContext } from '../context.ts';
import type { UserRecord } from '../domain/ports.ts';
import type { Resolvers } from '../generated/resolvers-types.ts';

/**
 * Users handed out as the subject of an AuthPayload: the caller has just proved to be them (the
 * request itself is still anonymous), so they see their own e-mail address.
 */
const signedIn = new WeakSet<UserRecord>();

export const resolvers: Resolvers = {
  Query: {
    me: (_: unknown, __: unknown, ctx: UserContext) =>
      ctx.identity ? ctx.users.load(ctx.identity.userId) : null,
  },
  Mutation: {
    // Refusals of the use cases are DomainErrors, translated where every error is (maskError).
    register: (_, { input }, ctx) => ctx.accounts.register(input, ctx.clientAddress),
    login: (_, { email, password }, ctx) => ctx.accounts.login(email, password, ctx.clientAddress),
    refreshToken: (_, { token }, ctx) => ctx.accounts.refresh(token),
    logout: (_, __, ctx) => ctx.accounts.logout(requireIdentity(ctx)),
    updateProfile: (_, { input }, ctx) => ctx.accounts.updateProfile(requireIdentity(ctx), input),
  },
  AuthPayload: {
    user: (payload) => {
      signedIn.add(payload.user);
      return payload.user;
    },
  },
  User: {
    __resolveReference: (ref: { id: string }, ctx: UserContext) =>
      isId(ref.id) ? ctx.users.load(ref.id) : null,
    // Other users' addresses are private: reviews show their authors to everyone.
    email: (u: UserRecord, _: unknown, ctx: UserContext) =>
      signedIn.has(u) ||
      (ctx.identity && (ctx.identity.userId === u.id || ctx.identity.role === 'ADMIN'))
        ? u.email
        : null,
    createdAt: (u: UserRecord) => u.createdAt.toISOString(),
  },
};
