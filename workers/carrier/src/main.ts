/**
 * The simulated carrier: completed orders packed, shipped and delivered, with /health, /ready
 * and /metrics. Run: ORDER_DATABASE_URL=... tsx workers/carrier/src/main.ts
 */
import { loadConfig } from '@shop/config';
import { runWorker } from '@shop/events/run-worker';
import { startCarrierProcess } from './process.ts';
import { carrierSettings } from './settings.ts';

const { CARRIER_WORKER_NAME } = loadConfig({
  CARRIER_WORKER_NAME: carrierSettings.CARRIER_WORKER_NAME,
});
await runWorker('carrier', CARRIER_WORKER_NAME, startCarrierProcess);
