import type { UserContext } from '../context.ts';
import type { UserRecord } from '../domain/ports.ts';

/**
 * Users handed out as the subject of an AuthPayload: the caller has just proved to be them (the
 * request itself is still anonymous), so they see their own private fields.
 */
const signedIn = new WeakSet<UserRecord>();

export function markSignedIn(user: UserRecord): UserRecord {
  signedIn.add(user);
  return user;
}

/**
 * Whether the caller may see the user's private fields (e-mail address, address book): the
 * user themselves and admins. Reviews, for one, show their authors to everyone.
 */
export const seesPrivateFields = (user: UserRecord, ctx: UserContext): boolean =>
  signedIn.has(user) ||
  (ctx.identity !== null && (ctx.identity.userId === user.id || ctx.identity.role === 'ADMIN'));
