import { randomUUID } from 'node:crypto';
import type { Identity } from '@shop/auth';
import { DomainError } from '@shop/subgraph-kit';
import { INVALID_CREDENTIALS, invalidInput } from './errors.ts';
import type { PasswordHasher } from './passwords.ts';
import type {
  AccessTokenIssuer,
  AttemptLimits,
  Clock,
  RefreshTokenStore,
  SessionRevoker,
  UserRecord,
  UserStore,
} from './ports.ts';
import {
  REFRESH_TOKEN_INPUT_MAX,
  hashRefreshToken,
  isRefreshTokenShaped,
  judgeRefreshToken,
  newRefreshToken,
} from './refresh-tokens.ts';
import {
  parseGivenPassword,
  parseLoginEmail,
  parseProfileChange,
  parseRegistration,
  type ProfileChangeInput,
  type Registration,
} from './validation.ts';

export interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  user: UserRecord;
}

export interface AccountsDeps {
  users: UserStore;
  refreshTokens: RefreshTokenStore;
  sessions: SessionRevoker;
  accessTokens: AccessTokenIssuer;
  limits: AttemptLimits;
  passwords: PasswordHasher;
  refreshTokenTtlSeconds: number;
  clock?: Clock;
}

const identityOf = (user: UserRecord, sessionId: string): Identity => ({
  userId: user.id,
  role: user.role,
  sessionId,
});

const refreshRefused = () =>
  new DomainError('UNAUTHENTICATED', 'Refresh token is not valid; sign in again');

/**
 * The account use cases: sign-up, sign-in, refresh-token rotation, sign-out and profile changes.
 * A session is one refresh-token family; its id is the `sid` of every access token it issues.
 */
export class Accounts {
  private readonly clock: Clock;

  constructor(private readonly deps: AccountsDeps) {
    this.clock = deps.clock ?? { now: () => new Date() };
  }

  async register(input: Registration, clientAddress: string | null): Promise<AuthPayload> {
    const registration = parseRegistration(input);
    await this.deps.limits.registration(clientAddress);
    const passwordHash = await this.deps.passwords.hash(registration.password);
    const user = await this.deps.users.create({
      email: registration.email,
      passwordHash,
      name: registration.name,
    });
    if (user === 'email-taken') throw emailTaken();
    return this.startSession(user);
  }

  async login(email: string, password: string, clientAddress: string | null) {
    const normalized = parseLoginEmail(email);
    const given = parseGivenPassword(password);
    const attempt = await this.deps.limits.login(normalized, clientAddress);
    const user = await this.deps.users.findByEmail(normalized);
    const ok = user
      ? await this.deps.passwords.verify(user.passwordHash, given)
      : await this.deps.passwords.verifyNobody(given);
    if (!user || !ok) throw new DomainError('UNAUTHENTICATED', INVALID_CREDENTIALS);
    await attempt.succeeded();
    if (this.deps.passwords.needsRehash(user.passwordHash)) {
      await this.deps.users.update(user.id, {
        passwordHash: await this.deps.passwords.hash(given),
      });
    }
    return this.startSession(user);
  }

  async refresh(token: string): Promise<AuthPayload> {
    if (token.length > REFRESH_TOKEN_INPUT_MAX) throw invalidInput('token', 'token is too long');
    if (!isRefreshTokenShaped(token)) throw refreshRefused();
    const now = this.clock.now();
    const stored = await this.deps.refreshTokens.findByHash(hashRefreshToken(token));
    const verdict = judgeRefreshToken(stored, now);
    if (verdict === 'refuse' || !stored) throw refreshRefused();
    if (verdict === 'reuse') {
      await this.endSession(stored.familyId, stored.userId);
      throw refreshRefused();
    }
    const user = await this.deps.users.findById(stored.userId);
    if (!user) throw refreshRefused();
    const next = this.newToken(user.id, stored.familyId, now);
    if (!(await this.deps.refreshTokens.rotate(stored.id, next.row, now))) {
      // Someone used the same token a moment ago: two holders of one token is reuse.
      await this.endSession(stored.familyId, stored.userId);
      throw refreshRefused();
    }
    return this.payload(user, stored.familyId, next.token);
  }

  /** Ends the caller's session. False when the caller has no session (a service identity). */
  async logout(identity: Identity): Promise<boolean> {
    if (!identity.sessionId) return false;
    await this.endSession(identity.sessionId, identity.userId);
    return true;
  }

  async updateProfile(identity: Identity, input: ProfileChangeInput): Promise<UserRecord> {
    const user = await this.deps.users.findById(identity.userId);
    if (!user) throw new DomainError('NOT_FOUND', 'Account not found');
    const change = parseProfileChange(input, user.email);
    if (change.currentPassword !== undefined) {
      // Limited like login: a stolen access token must not become a way to guess the password
      // (and then take the account over by changing it and the e-mail address).
      const attempt = await this.deps.limits.currentPasswordCheck(user.id);
      if (!(await this.deps.passwords.verify(user.passwordHash, change.currentPassword)))
        throw invalidInput('currentPassword', 'currentPassword is not correct');
      await attempt.succeeded();
    }
    const updated = await this.deps.users.update(user.id, {
      ...(change.name === undefined ? {} : { name: change.name }),
      ...(change.email === undefined ? {} : { email: change.email }),
      ...(change.newPassword === undefined
        ? {}
        : { passwordHash: await this.deps.passwords.hash(change.newPassword) }),
    });
    if (updated === 'email-taken') throw emailTaken();
    if (change.newPassword !== undefined) {
      // A new password ends every other session: whoever knew the old one is signed out.
      const now = this.clock.now();
      const since = new Date(now.getTime() - this.deps.accessTokens.ttlSeconds * 1000);
      const ended = await this.deps.refreshTokens.revokeOtherFamilies(
        user.id,
        identity.sessionId,
        now,
        since,
      );
      await this.deps.sessions.revoke(ended);
    }
    return updated;
  }

  private async startSession(user: UserRecord): Promise<AuthPayload> {
    const familyId = randomUUID();
    const first = this.newToken(user.id, familyId, this.clock.now());
    await this.deps.refreshTokens.insert(first.row);
    return this.payload(user, familyId, first.token);
  }

  private newToken(userId: string, familyId: string, now: Date) {
    const token = newRefreshToken();
    return {
      token,
      row: {
        id: randomUUID(),
        userId,
        familyId,
        tokenHash: hashRefreshToken(token),
        expiresAt: new Date(now.getTime() + this.deps.refreshTokenTtlSeconds * 1000),
      },
    };
  }

  private async payload(
    user: UserRecord,
    sessionId: string,
    refreshToken: string,
  ): Promise<AuthPayload> {
    return {
      accessToken: await this.deps.accessTokens.sign(identityOf(user, sessionId), sessionId),
      refreshToken,
      expiresIn: this.deps.accessTokens.ttlSeconds,
      user,
    };
  }

  private async endSession(familyId: string, userId: string): Promise<void> {
    await this.deps.refreshTokens.revokeFamily(familyId, userId, this.clock.now());
    await this.deps.sessions.revoke([familyId]);
  }
}

const emailTaken = () =>
  new DomainError('CONFLICT', 'An account with this email already exists', { field: 'email' });
