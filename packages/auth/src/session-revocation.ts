import type { Redis } from '@shop/redis';

/**
 * Revoked sessions, kept in Redis for as long as an access token of theirs could still be valid.
 * The user service writes on logout and on refresh-token reuse; the gateway reads per request.
 */
const key = (sessionId: string) => `auth:revoked-session:${sessionId}`;

export async function revokeSession(
  redis: Redis,
  sessionId: string,
  ttlSeconds: number,
): Promise<void> {
  await redis.set(key(sessionId), '1', 'EX', Math.max(1, Math.ceil(ttlSeconds)));
}

export async function isSessionRevoked(redis: Redis, sessionId: string): Promise<boolean> {
  return (await redis.exists(key(sessionId))) === 1;
}
