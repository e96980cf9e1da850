/**
 * The browser's access token and its renewal. The API rotates refresh tokens (each works once,
 * a reused one ends the whole session), so two refreshes at once would sign the shopper out:
 * every caller that needs a fresh token shares the one refresh in flight, and a lock (the Web
 * Locks API in the browser) keeps other tabs of the store from refreshing at the same moment.
 */
export interface SessionUser {
  id: string;
  name: string;
  email: string | null;
  role: 'CUSTOMER' | 'SELLER' | 'ADMIN';
}

export interface TokenGrant {
  accessToken: string;
  /** Seconds the access token lives, as the API says. */
  expiresIn: number;
  user: SessionUser;
}

interface HeldGrant {
  accessToken: string;
  user: SessionUser;
  /** Local clock time after which the token is renewed before use. */
  renewAt: number;
}

/** What a refresh call can answer; network failures throw instead. */
export type RefreshOutcome = { kind: 'granted'; grant: TokenGrant } | { kind: 'ended' };

export type SessionChange =
  | { type: 'signed-in'; user: SessionUser }
  | { type: 'renewed'; user: SessionUser }
  | { type: 'signed-out' }
  /** The server ended the session (logout elsewhere, refresh reuse, expiry). */
  | { type: 'ended' };

export interface TokenManagerDeps {
  refresh(): Promise<RefreshOutcome>;
  /** Whether a session may exist (the signed-in hint cookie): saves guests a refresh call. */
  mayHaveSession(): boolean;
  now(): number;
  /** Runs `task` while holding the store-wide refresh lock. */
  withLock<T>(task: () => Promise<T>): Promise<T>;
}

/** A token is renewed this long before it expires (or at 3/4 of a short lifetime). */
export const RENEW_MARGIN_MS = 60_000;

export function renewAt(grant: TokenGrant, receivedAt: number): number {
  const lifetime = grant.expiresIn * 1000;
  return receivedAt + lifetime - Math.min(RENEW_MARGIN_MS, lifetime / 4);
}

export class TokenManager {
  private held: HeldGrant | null = null;
  private inflight: Promise<HeldGrant | null> | null = null;
  private readonly listeners = new Set<(change: SessionChange) => void>();

  constructor(private readonly deps: TokenManagerDeps) {}

  get user(): SessionUser | null {
    return this.held?.user ?? null;
  }

  onChange(listener: (change: SessionChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** After a sign-in or sign-up: the grant the session endpoint answered. */
  signedIn(grant: TokenGrant): void {
    this.held = this.hold(grant);
    this.emit({ type: 'signed-in', user: grant.user });
  }

  signedOut(): void {
    this.held = null;
    this.emit({ type: 'signed-out' });
  }

  /**
   * A token good for the next request, renewed first when it is close to expiry; null when
   * signed out. Concurrent callers share one refresh.
   */
  async accessToken(): Promise<string | null> {
    const held = this.held;
    if (held && this.deps.now() < held.renewAt) return held.accessToken;
    if (!held && !this.deps.mayHaveSession()) return null;
    return (await this.renew())?.accessToken ?? null;
  }

  /**
   * The API refused `rejected` as expired or unknown: renew, unless another caller already did
   * (then the newer token is the answer, and no second refresh is spent).
   */
  async renewAfterRejection(rejected: string): Promise<string | null> {
    if (this.held && this.held.accessToken !== rejected) return this.held.accessToken;
    return (await this.renew())?.accessToken ?? null;
  }

  private renew(): Promise<HeldGrant | null> {
    this.inflight ??= this.deps
      .withLock(() => this.deps.refresh())
      .then((outcome) => {
        const hadSession = this.held !== null;
        if (outcome.kind === 'ended') {
          this.held = null;
          if (hadSession) this.emit({ type: 'ended' });
          return null;
        }
        this.held = this.hold(outcome.grant);
        this.emit({ type: hadSession ? 'renewed' : 'signed-in', user: outcome.grant.user });
        return this.held;
      })
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }

  private hold(grant: TokenGrant): HeldGrant {
    return {
      accessToken: grant.accessToken,
      user: grant.user,
      renewAt: renewAt(grant, this.deps.now()),
    };
  }

  private emit(change: SessionChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
