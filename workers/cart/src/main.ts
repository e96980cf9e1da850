/**
 * The cart worker: the cart's reaction to order events, with /health, /ready and /metrics.
 * Run: CART_DATABASE_URL=... tsx workers/cart/src/main.ts
 */
import { runMain } from '@shop/config';
import { startCartWorkerProcess } from './process.ts';

await runMain('cart-worker', () => startCartWorkerProcess(process.env));
