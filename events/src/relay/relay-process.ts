/**
 * The outbox relay as a worker: publishes one database's outbox to Kafka, with /health, /ready
 * and /metrics.
 */
import { loadConfig } from '@shop/config';
import { createKafka } from '@shop/kafka';
import { createLogger } from '@shop/logging';
import { closeOnSignals, createServiceMetrics, startServiceServer } from '@shop/observability';
import pg from 'pg';
import { Counter, Histogram } from 'prom-client';
import type { StartWorker } from '../worker/serve-worker.ts';
import { exportOutboxLevels } from './outbox-gauges.ts';
import { OutboxRelay } from './relay.ts';
import { relaySettings } from './settings.ts';

/** Starts the relay from `env`; `main.ts` runs it alone, workers/host beside others. */
export const startRelayWorker: StartWorker = async (env, options = {}) => {
  const config = loadConfig(relaySettings, env);
  const chaos = {
    publishFailureRate: config.CHAOS_PUBLISH_FAILURE_RATE,
    crashRate: config.CHAOS_CRASH_RATE,
  };
  const logger = createLogger(config.RELAY_NAME, config.LOG_LEVEL);
  if (chaos.publishFailureRate > 0 || chaos.crashRate > 0)
    logger.warn({ chaos }, 'chaos switch on');
  const metrics = createServiceMetrics(config.RELAY_NAME);
  const published = new Counter({
    name: 'outbox_events_published_total',
    help: 'Outbox rows published to Kafka and marked sent',
    registers: [metrics.registry],
  });
  const failures = new Counter({
    name: 'outbox_batch_failures_total',
    help: 'Outbox batches that failed (Kafka or database down, chaos) and were retried',
    registers: [metrics.registry],
  });
  const batchSeconds = new Histogram({
    name: 'outbox_batch_duration_seconds',
    help: 'Claim + publish + mark time per batch',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [metrics.registry],
  });
  const failedRows = new Counter({
    name: 'outbox_events_failed_total',
    help: 'Outbox rows the relay gave up on because Kafka kept rejecting them',
    labelNames: ['topic'],
    registers: [metrics.registry],
  });
  const probeDb = new pg.Pool({ connectionString: config.DATABASE_URL, max: 1 });
  exportOutboxLevels(metrics.registry, probeDb);
  const kafka = createKafka({ clientId: config.RELAY_NAME, brokers: config.KAFKA_BROKERS });
  const relay = new OutboxRelay({
    databaseUrl: config.DATABASE_URL,
    kafka,
    logger,
    batchSize: config.RELAY_BATCH_SIZE,
    pollIntervalMs: config.RELAY_POLL_INTERVAL_MS,
    lingerMs: config.RELAY_LINGER_MS,
    backoff: { initialMs: config.RELAY_BACKOFF_INITIAL_MS, maxMs: config.RELAY_BACKOFF_MAX_MS },
    maxRejections: config.RELAY_MAX_REJECTIONS,
    rejectionBackoff: {
      initialMs: config.RELAY_REJECTION_BACKOFF_INITIAL_MS,
      maxMs: config.RELAY_REJECTION_BACKOFF_MAX_MS,
    },
    retentionMs: config.RELAY_RETENTION_MS,
    cleanupIntervalMs: config.RELAY_CLEANUP_INTERVAL_MS,
    listen: config.RELAY_LISTEN,
    chaos,
    onChaosCrash: () => {
      logger.error('chaos: crashing mid-batch (published, not marked)');
      process.kill(process.pid, 'SIGKILL');
    },
    onBatch: ({ published: n, durationMs }) => {
      published.inc(n);
      batchSeconds.observe(durationMs / 1000);
    },
    onPublishError: () => failures.inc(),
    onFailed: (row) => failedRows.inc({ topic: row.topic }),
  });
  relay.start();
  const server = await startServiceServer({
    name: config.RELAY_NAME,
    host: config.HOST,
    port: config.PORT,
    logger,
    metrics,
    probes: {
      postgres: () => probeDb.query('SELECT 1'),
      kafka: async () => {
        if (!relay.kafkaConnected) throw new Error('not connected to Kafka');
      },
    },
    routes: {},
    onShutdown: async () => {
      await relay.stop();
      await probeDb.end();
    },
  });
  if (options.handleSignals ?? true) closeOnSignals(server, logger);
  return server;
};
