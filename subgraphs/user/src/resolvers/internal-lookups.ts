import { requireRole } from '@shop/subgraph-kit';
import type { UserContext } from '../context.ts';
import { parseLoginEmail } from '../domain/validation.ts';
import type { QueryResolvers } from '../generated/resolvers-types.ts';

export const internalLookups: Required<Pick<QueryResolvers<UserContext>, 'userByEmail'>> = {
  /**
   * Internal (@inaccessible). Admins only, as e-mail addresses are private to their user and
   * admins: answering anyone else would let them find out who has an account.
   */
  userByEmail: async (_, args, ctx) => {
    requireRole(ctx, 'ADMIN');
    // Normalized as sign-up stores it, and not judged: an odd address simply matches nobody.
    const email = parseLoginEmail(args.email);
    return ctx.prisma.user.findUnique({ where: { email } });
  },
};
