/**
 * The long fault run: `npm run test:faults` (FAULT_ORDERS, FAULT_PLACE_SECONDS, ... below).
 * Exits 1 when an invariant is violated.
 */
import { generateAll } from '@shop/prisma/generate';
import { ensureStack } from '@shop/stack';
import { formatReport, runFaults } from './run.ts';

const num = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}=${raw} is not a number`);
  return value;
};

const stack = await ensureStack({ services: ['postgres', 'redis'], verbose: true });
await generateAll();
const orders = num('FAULT_ORDERS', 500);
const report = await runFaults({
  postgresUrl: stack.postgres.url,
  redisUrl: stack.redis.url,
  databasePrefix: process.env.FAULT_DATABASE_PREFIX ?? 'shopfault',
  orders,
  placeOverMs: num('FAULT_PLACE_SECONDS', Math.max(60, orders / 3)) * 1000,
  products: num('FAULT_PRODUCTS', 20),
  // Enough stock for most of the demand: late buyers still meet short stock, but the run
  // reaches its number of orders.
  stockShare: num('FAULT_STOCK_SHARE', 0.9),
  publishFailureRate: num('FAULT_PUBLISH_FAILURE_RATE', 0.2),
  handlerFailureRate: num('FAULT_HANDLER_FAILURE_RATE', 0.2),
  relayCrashRate: num('FAULT_RELAY_CRASH_RATE', 0.02),
  declineRate: num('FAULT_DECLINE_RATE', 0.1),
  cancelShare: num('FAULT_CANCEL_SHARE', 0.1),
  relayKillEveryMs: num('FAULT_RELAY_KILL_EVERY_SECONDS', 8) * 1000,
  sagaKillEveryMs: num('FAULT_SAGA_KILL_EVERY_SECONDS', 30) * 1000,
  brokerStops: num('FAULT_BROKER_STOPS', 3),
  brokerDownMs: num('FAULT_BROKER_DOWN_SECONDS', 6) * 1000,
  // A killed carrier or notifications worker consumes again only once its dead member's Kafka
  // session (30 s) ran out: killed more often, they would hardly work at all.
  carrierKillEveryMs: num('FAULT_CARRIER_KILL_EVERY_SECONDS', 45) * 1000,
  notificationsKillEveryMs: num('FAULT_NOTIFICATIONS_KILL_EVERY_SECONDS', 60) * 1000,
  smtpStops: num('FAULT_SMTP_STOPS', 2),
  smtpDownMs: num('FAULT_SMTP_DOWN_SECONDS', 5) * 1000,
  lossRate: num('FAULT_LOSS_RATE', 0.15),
  seed: num('FAULT_SEED', Date.now() % 100_000),
});
console.log(formatReport(report));
process.exit(report.violations.length === 0 ? 0 : 1);
