/**
 * The simulated carrier: completed orders packed, shipped and delivered, with /health, /ready
 * and /metrics.
 */
import { loadConfig } from '@shop/config';
import { serveWorker, type StartWorker } from '@shop/events/worker';
import { createKafka } from '@shop/kafka';
import { createLogger } from '@shop/logging';
import { createServiceMetrics } from '@shop/observability';
import { createOrderPrisma } from '@shop/prisma/order';
import { connectRedis } from '@shop/redis';
import pg from 'pg';
import { startCarrier } from './carrier.ts';
import { carrierSettings } from './settings.ts';

/** Starts the worker from `env`; `main.ts` runs it alone, workers/host beside others. */
export const startCarrierProcess: StartWorker = async (env, options = {}) => {
  const config = loadConfig(carrierSettings, env);
  const name = config.CARRIER_WORKER_NAME;
  const logger = createLogger(name, config.LOG_LEVEL);
  const kafka = createKafka({ clientId: name, brokers: config.KAFKA_BROKERS });
  const orderPool = new pg.Pool({ connectionString: config.ORDER_DATABASE_URL, max: 5 });
  const orderPrisma = createOrderPrisma(config.ORDER_DATABASE_URL, { max: 3 });
  const redis = await connectRedis(config.REDIS_URL, 'REDIS_URL');
  const delays = {
    packMs: config.CARRIER_PACK_DELAY_MS,
    shipMs: config.CARRIER_SHIP_DELAY_MS,
    deliverMs: config.CARRIER_DELIVER_DELAY_MS,
    returnMs: config.CARRIER_RETURN_DELAY_MS,
  };
  const lostParcel = config.CARRIER_LOST_PARCEL === 'refund' ? 'REFUND' : 'RESHIP';
  const carrier = await startCarrier({
    kafka,
    orderPool,
    orderPrisma,
    carrierName: config.CARRIER_NAME,
    redis,
    delays,
    lossRate: config.CARRIER_LOSS_RATE,
    lostParcel,
    maxShipments: config.CARRIER_MAX_SHIPMENTS,
    pollMs: config.CARRIER_POLL_MS,
    namePrefix: name,
    maxAttempts: config.CARRIER_MAX_ATTEMPTS,
    sessionTimeoutMs: config.CARRIER_SESSION_TIMEOUT_MS,
    partitionsConsumedConcurrently: config.CARRIER_PARTITIONS_CONCURRENTLY,
    logger,
  });
  logger.info({ delays, lossRate: config.CARRIER_LOSS_RATE, lostParcel }, 'carrier started');
  return serveWorker({
    name,
    host: config.HOST,
    port: config.PORT,
    logger,
    metrics: createServiceMetrics(name),
    stats: {
      prefix: 'carrier_messages',
      help: 'Carrier consumer messages',
      sources: [{ label: 'orders', stats: carrier.consumer.stats }],
    },
    probes: { orderDb: () => orderPool.query('SELECT 1'), redis: () => redis.ping() },
    handleSignals: options.handleSignals,
    stop: async () => {
      await carrier.stop();
      await orderPool.end();
      await orderPrisma.$disconnect();
      redis.disconnect();
    },
  });
};
