/**
 * The order saga worker: stock reservation (catalog), the simulated payment provider and the
 * order status consumers, with /health, /ready and /metrics.
 */
import { loadConfig } from '@shop/config';
import { serveWorker, type StartWorker } from '@shop/events/worker';
import { createKafka } from '@shop/kafka';
import { createLogger } from '@shop/logging';
import { createServiceMetrics } from '@shop/observability';
import { connectRedis } from '@shop/redis';
import pg from 'pg';
import { startSaga } from './saga.ts';
import { createSagaMetrics } from './saga-metrics.ts';
import { sagaSettings } from './settings.ts';

/** Starts the worker from `env`; `main.ts` runs it alone, workers/host beside others. */
export const startSagaWorker: StartWorker = async (env, options = {}) => {
  const config = loadConfig(sagaSettings, env);
  const declineRate = config.PAYMENT_DECLINE_RATE;
  const handlerFailureRate = config.CHAOS_HANDLER_FAILURE_RATE;
  const logger = createLogger(config.SAGA_NAME, config.LOG_LEVEL);
  if (handlerFailureRate > 0) logger.warn({ handlerFailureRate }, 'chaos switch on');
  const kafka = createKafka({ clientId: config.SAGA_NAME, brokers: config.KAFKA_BROKERS });
  const orderPool = new pg.Pool({ connectionString: config.ORDER_DATABASE_URL, max: 5 });
  const catalogPool = new pg.Pool({ connectionString: config.CATALOG_DATABASE_URL, max: 5 });
  const redis = await connectRedis(config.REDIS_URL, 'REDIS_URL');
  const metrics = createServiceMetrics(config.SAGA_NAME);
  const saga = await startSaga({
    metrics: createSagaMetrics(metrics.registry),
    kafka,
    orderPool,
    catalogPool,
    redis,
    namePrefix: config.SAGA_NAME,
    payment: { declineRate, latencyMs: config.PAYMENT_LATENCY_MS },
    maxAttempts: config.SAGA_MAX_ATTEMPTS,
    sessionTimeoutMs: config.SAGA_SESSION_TIMEOUT_MS,
    partitionsConsumedConcurrently: config.SAGA_PARTITIONS_CONCURRENTLY,
    chaos: { handlerFailureRate },
    stepTimeout: {
      timeoutMs: config.SAGA_STEP_TIMEOUT_MS,
      intervalMs: config.SAGA_TIMEOUT_SWEEP_MS,
    },
    logger,
  });
  logger.info({ declineRate, latencyMs: config.PAYMENT_LATENCY_MS }, 'saga consumers started');
  return serveWorker({
    name: config.SAGA_NAME,
    host: config.HOST,
    port: config.PORT,
    logger,
    metrics,
    stats: {
      prefix: 'saga_messages',
      help: 'Saga consumer messages',
      sources: [{ label: 'saga', stats: saga.consumer.stats }],
    },
    probes: {
      orderDb: () => orderPool.query('SELECT 1'),
      catalogDb: () => catalogPool.query('SELECT 1'),
      redis: () => redis.ping(),
    },
    handleSignals: options.handleSignals,
    stop: async () => {
      await saga.stop();
      await orderPool.end();
      await catalogPool.end();
      redis.disconnect();
    },
  });
};
