/**
 * The order saga worker: stock reservation (catalog), the simulated payment provider and the
 * order status consumers, with /health, /ready and /metrics.
 * Run: ORDER_DATABASE_URL=... CATALOG_DATABASE_URL=... tsx workers/saga/src/main.ts
 */
import { runMain } from '@shop/config';
import { startSagaWorker } from './process.ts';

await runMain('saga', () => startSagaWorker(process.env));
