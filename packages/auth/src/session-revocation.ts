import type { Redis } from '@shop/redis';
import { MAX_AGE_SECONDS } from './internal-identity-header.ts';

/**
 * Revoked sessions, kept in Redis for as long as an access token of theirs could still be valid.
 * The user service writes on logout and on refresh-token reuse; the gateway reads per request.
 * Every revocation is also announced on a pub/sub channel, so that gateways end the session's
 * open WebSocket connections at once instead of at their next periodic check.
 */
/** The key that marks a session ended (what the gateway reads). */
export const revokedSessionKey = (sessionId: string) => `auth:revoked-session:${sessionId}`;

/** The channel a revoked session's id is published on (the message is the id alone). */
export const SESSION_REVOKED_CHANNEL = 'auth:session-revoked';

export async function revokeSession(
  redis: Redis,
  sessionId: string,
  ttlSeconds: number,
): Promise<void> {
  await redis.set(revokedSessionKey(sessionId), '1', 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  // After the write: a listener that looks the session up on the announcement finds it ended.
  // A listener that misses the announcement (disconnected then) finds it at its periodic check.
  await redis.publish(SESSION_REVOKED_CHANNEL, sessionId);
}

export async function isSessionRevoked(redis: Redis, sessionId: string): Promise<boolean> {
  return (await redis.exists(revokedSessionKey(sessionId))) === 1;
}

/**
 * Calls `onRevoked` with the id of every session revoked from now on, by any service instance.
 * `subscriber` must be a connection of its own (a subscribed Redis connection runs no other
 * command); ioredis subscribes again after a reconnect. Resolves once subscribed; the returned
 * function stops listening.
 */
export async function listenForSessionRevocations(
  subscriber: Redis,
  onRevoked: (sessionId: string) => void,
): Promise<() => Promise<void>> {
  const onMessage = (channel: string, message: string) => {
    if (channel === SESSION_REVOKED_CHANNEL && message) onRevoked(message);
  };
  subscriber.on('message', onMessage);
  await subscriber.subscribe(SESSION_REVOKED_CHANNEL);
  return async () => {
    subscriber.off('message', onMessage);
    await subscriber.unsubscribe(SESSION_REVOKED_CHANNEL);
  };
}

/**
 * Ended sessions as a subgraph sees them. The gateway refuses a revoked session's token, but a
 * signed identity header stays valid for two minutes: one captured before a logout (from a log,
 * a proxy) could still act for the user by calling a subgraph directly. Revocations announced
 * while this process listens are kept in memory for as long as a header could be valid, so the
 * check costs nothing per request; only a header signed before the process listened (its first
 * moments, or a Redis reconnection) is looked up in Redis.
 */
export class EndedSessions {
  /** Session id → when to forget it (ms); insertion order is expiry order. */
  private readonly ended = new Map<string, number>();
  /** Announcements are complete from this time on (ms); none while disconnected. */
  private listeningSince = Number.POSITIVE_INFINITY;
  private stop: (() => Promise<void>) | undefined;
  private readonly rememberMs = 2 * MAX_AGE_SECONDS * 1000;

  constructor(
    private readonly redis: Redis,
    /** A connection of its own: a subscribed connection runs no other command. */
    private readonly subscriber: Redis,
  ) {}

  async start(): Promise<void> {
    this.subscriber.on('close', () => (this.listeningSince = Number.POSITIVE_INFINITY));
    // ioredis subscribes again once ready: a second later every announcement arrives again.
    this.subscriber.on('ready', () => (this.listeningSince = Date.now() + 1000));
    this.stop = await listenForSessionRevocations(this.subscriber, (sessionId) => {
      const now = Date.now();
      for (const [id, until] of this.ended) {
        if (until > now) break;
        this.ended.delete(id);
      }
      this.ended.delete(sessionId);
      this.ended.set(sessionId, now + this.rememberMs);
    });
    this.listeningSince = Date.now();
  }

  /** Whether the session of a header signed at `issuedAt` (seconds) has ended. */
  async hasEnded(sessionId: string, issuedAt: number): Promise<boolean> {
    const until = this.ended.get(sessionId);
    if (until !== undefined && until > Date.now()) return true;
    // Signed while this process heard every announcement: one would have arrived.
    if (issuedAt * 1000 >= this.listeningSince) return false;
    return isSessionRevoked(this.redis, sessionId);
  }

  async close(): Promise<void> {
    await this.stop?.().catch(() => undefined);
  }
}
