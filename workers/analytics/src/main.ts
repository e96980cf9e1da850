/**
 * The analytics worker: ProductViewed and order events -> ClickHouse in batches, with
 * /health, /ready and /metrics.
 * Run: CLICKHOUSE_URL=http://127.0.0.1:8123 tsx workers/analytics/src/main.ts
 */
import { openAnalyticsStore } from '@shop/analytics';
import { loadConfig, runMain } from '@shop/config';
import { createKafka } from '@shop/kafka';
import { createLogger } from '@shop/logging';
import { closeOnSignals, createServiceMetrics, startServiceServer } from '@shop/observability';
import { Gauge } from 'prom-client';
import { startAnalyticsSink } from './analytics-sink.ts';
import { analyticsWorkerSettings } from './settings.ts';

await runMain('analytics', async () => {
  const config = loadConfig(analyticsWorkerSettings);
  const logger = createLogger(config.ANALYTICS_NAME, config.LOG_LEVEL);
  const metrics = createServiceMetrics(config.ANALYTICS_NAME);
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
  const stats = sink.consumer.stats;
  for (const stat of Object.keys(stats) as (keyof typeof stats)[])
    new Gauge({
      name: `analytics_${stat.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`,
      help: `Analytics sink: ${stat} (counts since start)`,
      registers: [metrics.registry],
      collect() {
        this.set(stats[stat]);
      },
    });
  logger.info({ database: config.CLICKHOUSE_DATABASE }, 'analytics worker started');
  const server = await startServiceServer({
    name: config.ANALYTICS_NAME,
    host: config.HOST,
    port: config.PORT,
    logger,
    metrics,
    probes: { clickhouse: () => analytics.ping() },
    routes: {},
    onShutdown: async () => {
      await sink.stop();
      await analytics.close();
    },
  });
  closeOnSignals(server, logger);
});
