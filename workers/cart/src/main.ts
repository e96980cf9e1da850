/**
 * The cart worker: the cart's reaction to order events, with /health, /ready and /metrics.
 * Run: CART_DATABASE_URL=... tsx workers/cart/src/main.ts
 */
import { loadConfig } from '@shop/config';
import { runWorker } from '@shop/events/run-worker';
import { startCartWorkerProcess } from './process.ts';
import { cartWorkerSettings } from './settings.ts';

const { CART_WORKER_NAME } = loadConfig({ CART_WORKER_NAME: cartWorkerSettings.CART_WORKER_NAME });
await runWorker('cart-worker', CART_WORKER_NAME, startCartWorkerProcess);
