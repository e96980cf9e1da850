/**
 * The cart worker: the cart's reaction to order events, with /health, /ready and /metrics.
 */
import { loadConfig } from '@shop/config';
import { serveWorker, type StartWorker } from '@shop/events/worker';
import { createKafka } from '@shop/kafka';
import { createLogger } from '@shop/logging';
import { createServiceMetrics } from '@shop/observability';
import { connectRedis } from '@shop/redis';
import pg from 'pg';
import { startCartWorker } from './cart-worker.ts';
import { cartWorkerSettings } from './settings.ts';

/** Starts the worker from `env`; `main.ts` runs it alone, workers/host beside others. */
export const startCartWorkerProcess: StartWorker = async (env, options = {}) => {
  const config = loadConfig(cartWorkerSettings, env);
  const name = config.CART_WORKER_NAME;
  const logger = createLogger(name, config.LOG_LEVEL);
  const kafka = createKafka({ clientId: name, brokers: config.KAFKA_BROKERS });
  const cartPool = new pg.Pool({ connectionString: config.CART_DATABASE_URL, max: 5 });
  const redis = await connectRedis(config.REDIS_URL, 'REDIS_URL');
  const worker = await startCartWorker({
    kafka,
    cartPool,
    cartDatabaseUrl: config.CART_DATABASE_URL,
    redis,
    cacheTtlSeconds: config.CART_CACHE_TTL_SECONDS,
    namePrefix: name,
    maxAttempts: config.CART_WORKER_MAX_ATTEMPTS,
    partitionsConsumedConcurrently: config.CART_WORKER_PARTITIONS_CONCURRENTLY,
    logger,
  });
  logger.info('cart worker started');
  return serveWorker({
    name,
    host: config.HOST,
    port: config.PORT,
    logger,
    metrics: createServiceMetrics(name),
    stats: {
      prefix: 'cart_worker_messages',
      help: 'Cart worker consumer messages',
      sources: [{ label: 'orders', stats: worker.consumer.stats }],
    },
    probes: { cartDb: () => cartPool.query('SELECT 1'), redis: () => redis.ping() },
    handleSignals: options.handleSignals,
    stop: async () => {
      await worker.stop();
      await cartPool.end();
      redis.disconnect();
    },
  });
};
