import type { Identity, Role } from '@shop/auth';
import type { StoredRefreshToken } from './refresh-tokens.ts';

/** The account as the use cases see it (the data layer maps its rows onto this). */
export interface UserRecord {
  id: string;
  email: string;
  passwordHash: string;
  name: string;
  role: Role;
  createdAt: Date;
}

export interface UserStore {
  findById(id: string): Promise<UserRecord | null>;
  findByEmail(email: string): Promise<UserRecord | null>;
  /** 'email-taken' when the (normalized) address already has an account. */
  create(data: {
    email: string;
    passwordHash: string;
    name: string;
  }): Promise<UserRecord | 'email-taken'>;
  update(
    id: string,
    data: { name?: string; email?: string; passwordHash?: string },
  ): Promise<UserRecord | 'email-taken'>;
}

export interface NewRefreshToken {
  id: string;
  userId: string;
  familyId: string;
  tokenHash: string;
  expiresAt: Date;
}

export interface RefreshTokenStore {
  insert(token: NewRefreshToken): Promise<void>;
  findByHash(tokenHash: string): Promise<StoredRefreshToken | null>;
  /**
   * Atomically marks `currentId` as rotated to `next` and stores `next`. False when the current
   * token was rotated, revoked or expired in the meantime (a concurrent use): nothing is stored.
   */
  rotate(currentId: string, next: NewRefreshToken, now: Date): Promise<boolean>;
  /** Ends a session: every token of the family is revoked. */
  revokeFamily(familyId: string, userId: string, now: Date): Promise<void>;
  /**
   * Ends every session of the user but `keepFamilyId`; returns the ended sessions whose access
   * tokens may still be valid (issued within `accessTokensSince`, or still refreshable).
   */
  revokeOtherFamilies(
    userId: string,
    keepFamilyId: string | undefined,
    now: Date,
    accessTokensSince: Date,
  ): Promise<string[]>;
}

/** Marks sessions ended for as long as their access tokens live (the gateway then refuses them). */
export interface SessionRevoker {
  revoke(sessionIds: string[]): Promise<void>;
}

export interface AccessTokenIssuer {
  readonly ttlSeconds: number;
  sign(identity: Identity, sessionId: string): Promise<string>;
}

/** Counts attempts; throws the domain's `rate-limited` error when one is over its limit. */
export interface AttemptLimits {
  /** Reserves one login attempt; `succeeded()` gives it back once the password was right. */
  login(email: string, clientAddress: string | null): Promise<{ succeeded(): Promise<void> }>;
  /**
   * Reserves one check of a signed-in user's current password (changing the e-mail address or
   * the password); `succeeded()` gives it back once the password was right.
   */
  currentPasswordCheck(userId: string): Promise<{ succeeded(): Promise<void> }>;
  registration(clientAddress: string | null): Promise<void>;
}

export interface Clock {
  now(): Date;
}
