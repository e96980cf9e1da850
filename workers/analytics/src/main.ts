/**
 * The analytics worker: ProductViewed and order events -> ClickHouse in batches, with
 * /health, /ready and /metrics.
 * Run: CLICKHOUSE_URL=http://127.0.0.1:8123 tsx workers/analytics/src/main.ts
 */
import { loadConfig } from '@shop/config';
import { runWorker } from '@shop/events/run-worker';
import { startAnalyticsWorker } from './process.ts';
import { analyticsWorkerSettings } from './settings.ts';

const { ANALYTICS_NAME } = loadConfig({ ANALYTICS_NAME: analyticsWorkerSettings.ANALYTICS_NAME });
await runWorker('analytics', ANALYTICS_NAME, startAnalyticsWorker);
