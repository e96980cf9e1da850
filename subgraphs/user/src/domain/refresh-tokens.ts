import { createHash, randomBytes } from 'node:crypto';

/**
 * Refresh tokens are 256 random bits, base64url (43 characters). Only their SHA-256 is stored:
 * a leaked table cannot be replayed, and the token's own entropy makes a slow hash unnecessary.
 */
const TOKEN_BYTES = 32;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** Longer input than this is refused as bad input before anything else. */
export const REFRESH_TOKEN_INPUT_MAX = 512;

export const newRefreshToken = (): string => randomBytes(TOKEN_BYTES).toString('base64url');

export const hashRefreshToken = (token: string): string =>
  createHash('sha256').update(token).digest('hex');

export const isRefreshTokenShaped = (token: string): boolean => TOKEN_SHAPE.test(token);

/** What the store knows about a presented refresh token. */
export interface StoredRefreshToken {
  id: string;
  userId: string;
  familyId: string;
  expiresAt: Date;
  revokedAt: Date | null;
  /** Set when the token was rotated: using it again is reuse. */
  replacedById: string | null;
}

export type RefreshVerdict =
  /** Valid: rotate it. */
  | 'rotate'
  /** Already rotated: someone holds a copy. Revoke the whole family. */
  | 'reuse'
  /** Unknown, expired, or its session ended (logout, earlier reuse): refuse. */
  | 'refuse';

export function judgeRefreshToken(token: StoredRefreshToken | null, now: Date): RefreshVerdict {
  if (!token) return 'refuse';
  if (token.replacedById !== null) return 'reuse';
  if (token.revokedAt !== null) return 'refuse';
  if (token.expiresAt.getTime() <= now.getTime()) return 'refuse';
  return 'rotate';
}
