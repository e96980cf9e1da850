/**
 * The analytics worker: ProductViewed and order events -> ClickHouse in batches, with
 * /health, /ready and /metrics.
 * Run: CLICKHOUSE_URL=http://127.0.0.1:8123 tsx workers/analytics/src/main.ts
 */
import { runMain } from '@shop/config';
import { startAnalyticsWorker } from './process.ts';

await runMain('analytics', () => startAnalyticsWorker(process.env));
