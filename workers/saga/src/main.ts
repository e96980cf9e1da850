/**
 * The order saga worker: stock reservation (catalog), the simulated payment provider and the
 * order status consumers, with /health, /ready and /metrics.
 * Run: ORDER_DATABASE_URL=... CATALOG_DATABASE_URL=... tsx workers/saga/src/main.ts
 */
import { loadConfig, runMain } from '@shop/config';
import { createKafka } from '@shop/kafka';
import { createLogger } from '@shop/logging';
import { closeOnSignals, createServiceMetrics, startServiceServer } from '@shop/observability';
import { createOrderPrisma } from '@shop/prisma/order';
import { connectRedis } from '@shop/redis';
import pg from 'pg';
import { Gauge } from 'prom-client';
import { startSaga } from './saga.ts';
import { sagaSettings } from './settings.ts';

function parseRate(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1)
    throw new Error(`${name} must be a number between 0 and 1`);
  return value;
}

await runMain('saga', async () => {
  const config = loadConfig(sagaSettings);
  const declineRate = parseRate('PAYMENT_DECLINE_RATE', config.PAYMENT_DECLINE_RATE);
  const handlerFailureRate = parseRate(
    'CHAOS_HANDLER_FAILURE_RATE',
    config.CHAOS_HANDLER_FAILURE_RATE,
  );
  const logger = createLogger(config.SAGA_NAME, config.LOG_LEVEL);
  if (handlerFailureRate > 0) logger.warn({ handlerFailureRate }, 'chaos switch on');
  const metrics = createServiceMetrics(config.SAGA_NAME);
  const kafka = createKafka({ clientId: config.SAGA_NAME, brokers: config.KAFKA_BROKERS });
  const orderPrisma = createOrderPrisma(config.ORDER_DATABASE_URL);
  const catalogPool = new pg.Pool({ connectionString: config.CATALOG_DATABASE_URL, max: 5 });
  const redis = await connectRedis(config.REDIS_URL, 'REDIS_URL');
  const saga = await startSaga({
    kafka,
    orderPrisma,
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
  for (const stat of [
    'handled',
    'duplicates',
    'skipped',
    'retries',
    'deadLettered',
    'crashes',
    'restarts',
  ] as const)
    new Gauge({
      name: `saga_messages_${stat.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`,
      help: `Saga consumer messages: ${stat}`,
      labelNames: ['consumer'],
      registers: [metrics.registry],
      collect() {
        for (const [i, c] of saga.consumers.entries())
          this.set(
            { consumer: ['catalog-stock', 'payment-simulator', 'order-status'][i]! },
            c.stats[stat],
          );
      },
    });
  logger.info({ declineRate, latencyMs: config.PAYMENT_LATENCY_MS }, 'saga consumers started');
  const server = await startServiceServer({
    name: config.SAGA_NAME,
    host: config.HOST,
    port: config.PORT,
    logger,
    metrics,
    probes: {
      orderDb: () => orderPrisma.$queryRaw`SELECT 1`,
      catalogDb: () => catalogPool.query('SELECT 1'),
      redis: () => redis.ping(),
    },
    routes: {},
    onShutdown: async () => {
      await saga.stop();
      await orderPrisma.$disconnect();
      await catalogPool.end();
      redis.disconnect();
    },
  });
  closeOnSignals(server, logger);
});
