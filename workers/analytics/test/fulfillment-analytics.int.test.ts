/**
 * Fulfilment analytics end to end below the graph: encoded order events on private Kafka topics
 * (each of them twice, as at-least-once delivery may hand them over), the real sink, a private
 * ClickHouse database, and the figures deliveryTimes and returnRates read from it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import {
  checkLastDays,
  connectAnalytics,
  deliveryTimes,
  dropAnalyticsDatabase,
  productCounts,
  returnRates,
  windowStart,
  type AnalyticsStore,
} from '@shop/analytics';
import {
  OrderCancelled,
  OrderCompleted,
  OrderDelivered,
  OrderPacked,
  OrderPlaced,
  OrderShipped,
  ReturnReceived,
  createEvent,
  encodeEvent,
  type AnyEvent,
} from '@shop/events';
import type { Kafka, Producer } from '@shop/kafka';
import { TEST_PREFIX } from '@shop/testing';
import { startAnalyticsSink, type AnalyticsSink } from '../src/analytics-sink.ts';
import { eventRows } from '../src/event-rows.ts';
import { freshTopic, testKafka } from '../../../events/test/helpers.ts';

const tag = randomUUID().slice(0, 8);
const DAY = 86_400_000;
const eur = (amount: string) => ({ amount, currency: 'EUR' });
let kafka: Kafka;
let producer: Producer;
let store: AnalyticsStore;
let sink: AnalyticsSink;
let topics: { productViews: string; orders: string };

/** Whole seconds: ClickHouse DateTime keeps no fractions. */
const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
/** Noon (UTC) `n` days before today. */
const noonDaysAgo = (n: number) => new Date(midnight - n * DAY + DAY / 2);
const dayText = (date: Date) => date.toISOString().slice(0, 10);

beforeAll(async () => {
  kafka = testKafka('analytics-fulfillment-test');
  store = connectAnalytics({
    url: inject('stack').clickhouse.url,
    database: `${TEST_PREFIX}_analytics_fulfillment`,
  });
  await dropAnalyticsDatabase(store);
  topics = {
    productViews: await freshTopic(kafka, `anf-views-${tag}`),
    orders: await freshTopic(kafka, `anf-orders-${tag}`),
  };
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  // Small batches, so that the copies of an event land in different parts (unmerged duplicates).
  sink = await startAnalyticsSink({
    kafka,
    store,
    topics,
    name: `analytics-fulfillment-test-${tag}`,
    maxRows: 5,
    maxWaitMs: 100,
  });
});
afterAll(async () => {
  await sink?.stop();
  await producer?.disconnect();
  await store?.close();
});

/**
 * Sends the events twice, in two sends (so in different batches), the way the outbox relay
 * publishes (keyed by order, contract encoding), and waits until the sink wrote every copy.
 */
async function publishTwice(events: readonly AnyEvent[]) {
  const before = sink.consumer.stats.rows;
  const rows = events.flatMap((e) => eventRows(e)).length;
  for (let copy = 0; copy < 2; copy++)
    await producer.send({
      topic: topics.orders,
      acks: -1,
      messages: events.map((e) => encodeEvent(e)),
    });
  await vi.waitFor(
    () => expect(sink.consumer.stats.rows).toBeGreaterThanOrEqual(before + 2 * rows),
    {
      timeout: 30_000,
      interval: 50,
    },
  );
}

/**
 * An order paid at `deliveredAt - waitSeconds` and delivered at `deliveredAt`, with the steps
 * in between. `paid: false` leaves the OrderCompleted out (it never reached analytics).
 */
function deliveredOrder(deliveredAt: Date, waitSeconds: number, paid = true) {
  const orderId = randomUUID();
  const userId = randomUUID();
  const paidAt = new Date(deliveredAt.getTime() - waitSeconds * 1000);
  const events: AnyEvent[] = [
    ...(paid
      ? [
          createEvent(
            OrderCompleted,
            orderId,
            { orderId, userId, total: eur('10.00') },
            { occurredAt: paidAt },
          ),
        ]
      : []),
    createEvent(OrderPacked, orderId, { orderId, userId, by: 'SELLER' }, { occurredAt: paidAt }),
    createEvent(
      OrderShipped,
      orderId,
      {
        orderId,
        userId,
        by: 'CARRIER',
        carrier: 'DHL',
        trackingNumber: `T${orderId.slice(0, 8)}`,
        estimatedDelivery: null,
      },
      { occurredAt: paidAt },
    ),
    createEvent(
      OrderDelivered,
      orderId,
      { orderId, userId, by: 'CARRIER' },
      { occurredAt: deliveredAt },
    ),
  ] as AnyEvent[];
  return { orderId, userId, events };
}

/** A placed order of `lines` (product, quantity) at `at`, completed or cancelled right after. */
function soldOrder(at: Date, lines: [string, number][], outcome: 'completed' | 'cancelled') {
  const orderId = randomUUID();
  const userId = randomUUID();
  const events = [
    createEvent(
      OrderPlaced,
      orderId,
      {
        orderId,
        userId,
        items: lines.map(([productId, quantity]) => ({
          productId,
          quantity,
          unitPrice: eur('12.00'),
        })),
        total: eur((12 * lines.reduce((n, [, q]) => n + q, 0)).toFixed(2)),
      },
      { occurredAt: at },
    ),
    outcome === 'completed'
      ? createEvent(
          OrderCompleted,
          orderId,
          { orderId, userId, total: eur('1.00') },
          { occurredAt: at },
        )
      : createEvent(
          OrderCancelled,
          orderId,
          { orderId, userId, reason: 'payment declined', previousStatus: 'STOCK_RESERVED' },
          { occurredAt: at },
        ),
  ] as AnyEvent[];
  /** A return of `returned` (product, quantity) of this order, received at `receivedAt`. */
  const returned = (items: [string, number][], receivedAt = now): AnyEvent =>
    createEvent(
      ReturnReceived,
      orderId,
      {
        returnId: randomUUID(),
        orderId,
        userId,
        by: 'ADMIN',
        lines: items.map(([productId, quantity]) => ({
          productId,
          quantity,
          refund: eur((12 * quantity).toFixed(2)),
        })),
        refund: eur((12 * items.reduce((n, [, q]) => n + q, 0)).toFixed(2)),
      },
      { occurredAt: receivedAt },
    ) as AnyEvent;
  return { orderId, events, returned };
}

describe('delivery times', () => {
  const since = (days: number) => {
    const check = checkLastDays(days);
    if (!check.ok) throw new Error(check.message);
    return check.since;
  };

  it('gives each day of delivery its p50 and p90 from payment, every order once', async () => {
    // Three days ago: four orders, 1, 2, 3 and 10 hours. Sorted ranks 0..3: the median lies
    // halfway between ranks 1 and 2, the 90th percentile at rank 2.7.
    const threeAgo = [3600, 7200, 10_800, 36_000].map((wait) =>
      deliveredOrder(noonDaysAgo(3), wait),
    );
    // ... and one delivered without a known payment: nothing to measure from, left out.
    const unpaid = deliveredOrder(noonDaysAgo(3), 60, false);
    // Yesterday: three orders, the middle one the median, p90 at rank 1.8.
    const yesterday = [1800, 86_400, 90_000].map((wait) => deliveredOrder(noonDaysAgo(1), wait));
    // Ten days ago: two orders, one of them delivered again yesterday (a second event, not a
    // copy): it belongs to its first delivery's day, and yesterday keeps three orders.
    const tenAgo = [5000, 7200].map((wait) => deliveredOrder(noonDaysAgo(10), wait));
    const again = tenAgo[1]!;
    const redelivered = createEvent(
      OrderDelivered,
      again.orderId,
      { orderId: again.orderId, userId: again.userId, by: 'ADMIN' },
      { occurredAt: noonDaysAgo(1) },
    ) as AnyEvent;
    // Today: one order, ten minutes (delivered this second).
    const today = deliveredOrder(now, 600);

    await publishTwice([
      ...[...threeAgo, unpaid, ...yesterday, ...tenAgo, today].flatMap((o) => o.events),
      redelivered,
    ]);

    const week = await deliveryTimes(store, since(7));
    expect(week).toEqual([
      {
        day: dayText(noonDaysAgo(3)),
        delivered: 4,
        // (7200 + 10800) / 2; 10800 + 0.7 x (36000 - 10800).
        p50Seconds: 9000,
        p90Seconds: 28_440,
      },
      // 86400 + 0.8 x (90000 - 86400).
      { day: dayText(noonDaysAgo(1)), delivered: 3, p50Seconds: 86_400, p90Seconds: 89_280 },
      { day: dayText(now), delivered: 1, p50Seconds: 600, p90Seconds: 600 },
    ]);
    // 5000 + 0.5 x 2200; 5000 + 0.9 x 2200.
    const tenDaysAgo = {
      day: dayText(noonDaysAgo(10)),
      delivered: 2,
      p50Seconds: 6100,
      p90Seconds: 6980,
    };
    expect(await deliveryTimes(store, since(30))).toEqual([tenDaysAgo, ...week]);
    // The last N days end today: 2 is yesterday and today, 1 today alone.
    expect(await deliveryTimes(store, since(2))).toEqual(week.slice(1));
    expect(await deliveryTimes(store, since(1))).toEqual(week.slice(2));
  });
});

describe('return rates', () => {
  it('rates the products sold in the window by the returns of those sales, copies once', async () => {
    const [p, q, r, s, t] = Array.from({ length: 5 }, () => randomUUID());
    const a = soldOrder(
      now,
      [
        [p!, 4],
        [q!, 2],
      ],
      'completed',
    );
    const b = soldOrder(
      now,
      [
        [p!, 4],
        [r!, 5],
      ],
      'completed',
    );
    // Sold, never returned: listed with rate 0.
    const c = soldOrder(now, [[s!, 2]], 'completed');
    // Cancelled: not sold, so not listed.
    const d = soldOrder(now, [[t!, 3]], 'cancelled');
    // Completed 40 days ago and all sent back today: outside the 30-day cohort, so its return
    // counts for none of this window's sales.
    const old = soldOrder(new Date(now.getTime() - 40 * DAY), [[q!, 10]], 'completed');
    await publishTwice([
      ...[a, b, c, d, old].flatMap((o) => o.events),
      // Two returns of order a: one unit of p, then one of p and both of q.
      a.returned([[p!, 1]]),
      a.returned([
        [p!, 1],
        [q!, 2],
      ]),
      b.returned([[r!, 1]]),
      old.returned([[q!, 10]]),
    ]);

    const since = windowStart('LAST_30_DAYS');
    const rates = await returnRates(store, { since, limit: 20 });
    expect(rates).toEqual([
      { productId: q, unitsSold: 2, unitsReturned: 2, rate: 1 },
      { productId: p, unitsSold: 8, unitsReturned: 2, rate: 0.25 },
      { productId: r, unitsSold: 5, unitsReturned: 1, rate: 0.2 },
      { productId: s, unitsSold: 2, unitsReturned: 0, rate: 0 },
    ]);
    // Counting distinct lines instead of reading FINAL gives the same answer.
    expect(await returnRates(store, { since, limit: 20, dedup: 'distinct' })).toEqual(rates);
    expect(await returnRates(store, { since, limit: 2 })).toEqual(rates.slice(0, 2));
    // Units sold are the products' sales of the same window.
    const counts = await productCounts(store, [p!, q!, r!], since);
    expect([p, q, r].map((id) => counts.get(id!)?.sales)).toEqual([8, 2, 5]);
    // Over 60 days the old order is in the cohort, with its return: q sold 12, returned 12.
    const twoMonths = await returnRates(store, {
      since: new Date(now.getTime() - 60 * DAY),
      limit: 1,
    });
    expect(twoMonths).toEqual([{ productId: q, unitsSold: 12, unitsReturned: 12, rate: 1 }]);
  });
});
