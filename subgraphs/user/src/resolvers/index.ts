import type { User } from '@shop/prisma/user';
import { isId } from '@shop/subgraph-kit';
import type { UserContext } from '../context.ts';
import type { Resolvers } from '../generated/resolvers-types.ts';

export const resolvers: Resolvers = {
  Query: {
    me: (_: unknown, __: unknown, ctx: UserContext) =>
      ctx.identity ? ctx.users.load(ctx.identity.userId) : null,
  },
  User: {
    __resolveReference: (ref: { id: string }, ctx: UserContext) =>
      isId(ref.id) ? ctx.users.load(ref.id) : null,
    // Other users' addresses are private: reviews show their authors to everyone.
    email: (u: User, _: unknown, ctx: UserContext) =>
      ctx.identity && (ctx.identity.userId === u.id || ctx.identity.role === 'ADMIN')
        ? u.email
        : null,
    createdAt: (u: User) => u.createdAt.toISOString(),
  },
};
