/**
 * The simulated carrier: completed orders packed, shipped and delivered, with /health, /ready
 * and /metrics. Run: ORDER_DATABASE_URL=... tsx workers/carrier/src/main.ts
 */
import { runMain } from '@shop/config';
import { startCarrierProcess } from './process.ts';

await runMain('carrier', () => startCarrierProcess(process.env));
