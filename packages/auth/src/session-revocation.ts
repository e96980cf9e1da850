import type { Redis } from '@shop/redis';

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
