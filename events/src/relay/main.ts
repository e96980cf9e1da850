/**
 * The outbox relay process: publishes one database's outbox to Kafka.
 * Run: DATABASE_URL=postgres://.../shop_order tsx events/src/relay/main.ts
 */
import { bool, hostPortList, int, loadConfig, oneOf, port, runMain, str, url } from '@shop/config';
import { createKafka } from '@shop/kafka';
import { createLogger } from '@shop/logging';
import { closeOnSignals, createServiceMetrics, startServiceServer } from '@shop/observability';
import pg from 'pg';
import { Counter, Histogram } from 'prom-client';
import { OutboxRelay } from './relay.ts';

const rate = () => str({ default: '0' });

export const relaySettings = {
  HOST: str({ default: '127.0.0.1' }),
  PORT: port(4010),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace'], 'info'),
  /** The database whose outbox_events this replica publishes (order, catalog, ...). */
  DATABASE_URL: url(['postgres', 'postgresql']),
  KAFKA_BROKERS: hostPortList('127.0.0.1:9092'),
  RELAY_NAME: str({ default: 'outbox-relay' }),
  RELAY_BATCH_SIZE: int({ default: 500, min: 1, max: 10_000 }),
  RELAY_POLL_INTERVAL_MS: int({ default: 1000, min: 10, max: 600_000 }),
  RELAY_BACKOFF_INITIAL_MS: int({ default: 100, min: 1, max: 60_000 }),
  RELAY_BACKOFF_MAX_MS: int({ default: 10_000, min: 1, max: 600_000 }),
  /** Sent rows older than this are deleted (0 keeps them). */
  RELAY_RETENTION_MS: int({ default: 24 * 3600 * 1000, min: 0, max: 90 * 24 * 3600 * 1000 }),
  RELAY_CLEANUP_INTERVAL_MS: int({ default: 60_000, min: 100, max: 24 * 3600 * 1000 }),
  RELAY_LISTEN: bool(true),
  /** Chaos switch, off by default: probability of a dropped publish per batch. */
  CHAOS_PUBLISH_FAILURE_RATE: rate(),
  /** Chaos switch: probability of a crash (process exit) after publishing, before marking. */
  CHAOS_CRASH_RATE: rate(),
};

function parseRate(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1)
    throw new Error(`${name} must be a number between 0 and 1`);
  return value;
}

await runMain('outbox-relay', async () => {
  const config = loadConfig(relaySettings);
  const chaos = {
    publishFailureRate: parseRate('CHAOS_PUBLISH_FAILURE_RATE', config.CHAOS_PUBLISH_FAILURE_RATE),
    crashRate: parseRate('CHAOS_CRASH_RATE', config.CHAOS_CRASH_RATE),
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
  const kafka = createKafka({ clientId: config.RELAY_NAME, brokers: config.KAFKA_BROKERS });
  const relay = new OutboxRelay({
    databaseUrl: config.DATABASE_URL,
    kafka,
    logger,
    batchSize: config.RELAY_BATCH_SIZE,
    pollIntervalMs: config.RELAY_POLL_INTERVAL_MS,
    backoff: { initialMs: config.RELAY_BACKOFF_INITIAL_MS, maxMs: config.RELAY_BACKOFF_MAX_MS },
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
  });
  const probeDb = new pg.Pool({ connectionString: config.DATABASE_URL, max: 1 });
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
  closeOnSignals(server, logger);
});
