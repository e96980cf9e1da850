/**
 * The analytics worker: ProductViewed and order events -> ClickHouse in batches, with
 * /health, /ready and /metrics.
 */
import { openAnalyticsStore } from '@shop/analytics';
import { loadConfig } from '@shop/config';
import { serveWorker, type StartWorker } from '@shop/events/worker';
import { createKafka } from '@shop/kafka';
import { createLogger } from '@shop/logging';
import { createServiceMetrics } from '@shop/observability';
import { startAnalyticsSink } from './analytics-sink.ts';
import { analyticsWorkerSettings } from './settings.ts';

/** Starts the worker from `env`; `main.ts` runs it alone, workers/host beside others. */
export const startAnalyticsWorker: StartWorker = async (env, options = {}) => {
  const config = loadConfig(analyticsWorkerSettings, env);
  const logger = createLogger(config.ANALYTICS_NAME, config.LOG_LEVEL);
  const kafka = createKafka({ clientId: config.ANALYTICS_NAME, brokers: config.KAFKA_BROKERS });
  const analytics = await openAnalyticsStore(config);
  const sink = await startAnalyticsSink({
    kafka,
    store: analytics,
    name: config.ANALYTICS_NAME,
    maxRows: config.ANALYTICS_BATCH_ROWS,
    maxWaitMs: config.ANALYTICS_BATCH_MS,
    logger,
  });
  logger.info({ database: config.CLICKHOUSE_DATABASE }, 'analytics worker started');
  return serveWorker({
    name: config.ANALYTICS_NAME,
    host: config.HOST,
    port: config.PORT,
    logger,
    metrics: createServiceMetrics(config.ANALYTICS_NAME),
    stats: {
      prefix: 'analytics_sink',
      help: 'Analytics sink',
      sources: [{ label: 'events', stats: sink.consumer.stats }],
      levels: ['pendingRows'],
    },
    probes: { clickhouse: () => analytics.ping() },
    handleSignals: options.handleSignals,
    stop: async () => {
      await sink.stop();
      await analytics.close();
    },
  });
};
