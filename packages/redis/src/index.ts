import { Redis } from 'ioredis';
import { StartupError } from '@shop/config';

export type { Redis } from 'ioredis';

/**
 * The one place that builds a Redis client. Commands fail fast instead of queueing forever while
 * Redis is down, so a request degrades with an error rather than hanging.
 */
export function createRedis(url: string, options: { keyPrefix?: string } = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
    connectTimeout: 2000,
    lazyConnect: true,
    ...(options.keyPrefix ? { keyPrefix: options.keyPrefix } : {}),
  });
}

/** Connects and pings; start-up fails naming the setting when Redis does not answer. */
export async function connectRedis(
  url: string,
  setting: string,
  options: { keyPrefix?: string } = {},
): Promise<Redis> {
  const redis = createRedis(url, options);
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new StartupError(setting, `cannot reach Redis (${(error as Error).message})`);
  }
  return redis;
}
