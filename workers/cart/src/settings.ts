import { hostPortList, int, oneOf, port, str, url } from '@shop/config';

/** The cart worker's settings (apart from main.ts so tools can read them without starting it). */
export const cartWorkerSettings = {
  HOST: str({ default: '127.0.0.1' }),
  PORT: port(4016),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace'], 'info'),
  /** The cart database: the lines an order takes out of the cart, and the worker's inbox. */
  CART_DATABASE_URL: url(['postgres', 'postgresql']),
  /** The cart service's cache, invalidated for a user whose cart an order changed. */
  REDIS_URL: url(['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  CART_CACHE_TTL_SECONDS: int({ default: 300, min: 1, max: 86_400 }),
  KAFKA_BROKERS: hostPortList('127.0.0.1:9092'),
  CART_WORKER_NAME: str({ default: 'cart-worker' }),
  CART_WORKER_MAX_ATTEMPTS: int({ default: 5, min: 1, max: 100 }),
  /** Partitions of the orders topic handled at once (each partition stays in order). */
  CART_WORKER_PARTITIONS_CONCURRENTLY: int({ default: 3, min: 1, max: 64 }),
};
