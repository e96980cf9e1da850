import { expect, inject, it } from 'vitest';
import { TEST_PREFIX } from '@shop/testing';
import { formatReport, runFaults } from './fault/run.ts';

/**
 * The shortened fault run of issue 4 (the long one: `npm run test:faults`): 150 orders with
 * 20 % publish and handler failures, relay crashes, scheduled relay SIGKILLs mid-batch, saga
 * worker SIGKILLs and two broker stops, on a private broker and private databases. The orders
 * are checkouts (four destinations, a third of the customers with a discount code): payments
 * must equal the totals with tax and shipping, and the code's uses the orders that stand.
 * Through fulfilment: the carrier (15 % of parcels lost, re-shipped once, then refunded) and
 * the notifications worker are SIGKILLed too, and the private SMTP server stopped twice; every
 * paid order must end delivered or refunded, and every email be sent exactly once.
 */
it('keeps every invariant through publish and handler failures, worker kills and broker and SMTP stops', async () => {
  const stack = inject('stack');
  const report = await runFaults({
    postgresUrl: stack.postgres.url,
    redisUrl: stack.redis.url,
    databasePrefix: `${TEST_PREFIX}_fault`,
    orders: Number(process.env.FAULT_ORDERS ?? 150),
    placeOverMs: 40_000,
    relayKillEveryMs: 6000,
    sagaKillEveryMs: 15_000,
    brokerStops: 2,
    brokerDownMs: 4000,
    carrierKillEveryMs: 14_000,
    notificationsKillEveryMs: 14_000,
    smtpStops: 2,
    smtpDownMs: 3000,
    lossRate: 0.15,
    drainTimeoutMs: 120_000,
  });
  console.log(formatReport(report));
  expect(report.violations).toEqual([]);
  expect(report.figures.notTerminal).toBe(0);
  expect(report.brokerRestarts).toBe(2);
  expect(report.relayKills.scheduled).toBeGreaterThanOrEqual(3);
  expect(report.sagaKills).toBeGreaterThanOrEqual(1);
  // The checkout's figures were really exercised: tax, shipping and the code's uses.
  const { checkout, fulfilment, emails } = report.figures;
  expect(checkout.withTax).toBeGreaterThan(0);
  expect(checkout.withShipping).toBeGreaterThan(0);
  expect(checkout.withCode).toBeGreaterThan(0);
  expect(checkout.codes.map((c) => c.code)).toEqual(['FAULTRUN10']);
  // And fulfilment's: the workers really died, the SMTP server really stopped, parcels arrived
  // and emails went out.
  expect(report.carrierKills).toBeGreaterThanOrEqual(1);
  expect(report.notificationsKills).toBeGreaterThanOrEqual(1);
  expect(report.smtpStops).toBeGreaterThanOrEqual(1);
  expect(fulfilment.delivered).toBeGreaterThan(0);
  expect(emails.sentByKind['order-delivered']).toBe(fulfilment.delivered);
  expect(emails.inbox).toBeGreaterThan(0);
}, 360_000);
