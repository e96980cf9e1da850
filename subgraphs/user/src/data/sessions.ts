import { revokeSession } from '@shop/auth';
import type { Redis } from '@shop/redis';
import type { SessionRevoker } from '../domain/ports.ts';

/** Seconds beyond the access-token lifetime a revocation is kept (the verifier's clock tolerance and more). */
const MARGIN_SECONDS = 30;

/** Ended sessions in Redis, which the gateway checks on every request with an access token. */
export class RedisSessionRevoker implements SessionRevoker {
  constructor(
    private readonly redis: Redis,
    private readonly accessTokenTtlSeconds: number,
  ) {}

  async revoke(sessionIds: string[]): Promise<void> {
    await Promise.all(
      sessionIds.map((id) =>
        revokeSession(this.redis, id, this.accessTokenTtlSeconds + MARGIN_SECONDS),
      ),
    );
  }
}
