/**
 * The order saga worker: stock reservation (catalog), the simulated payment provider and the
 * order status consumers, with /health, /ready and /metrics.
 * Run: ORDER_DATABASE_URL=... CATALOG_DATABASE_URL=... tsx workers/saga/src/main.ts
 */
import { loadConfig } from '@shop/config';
import { runWorker } from '@shop/events/run-worker';
import { startSagaWorker } from './process.ts';
import { sagaSettings } from './settings.ts';

const { SAGA_NAME } = loadConfig({ SAGA_NAME: sagaSettings.SAGA_NAME });
await runWorker('saga', SAGA_NAME, startSagaWorker);
