/**
 * Fulfilment analytics through the gateway: who may ask (admins only), what is refused, and the
 * figures of a few orders fed through the real sink. The supergraph's analytics database is
 * shared with other tests and earlier runs and is not dropped here, so this file keeps to data
 * nobody else has: products with fresh ids in the last hour, and a past delivery day it first
 * checks to be empty. The exact percentiles over many cases are in
 * workers/analytics/test/fulfillment-analytics.int.test.ts, on a private database.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { connectAnalytics, type AnalyticsStore } from '@shop/analytics';
import { eventRows, startAnalyticsSink, type AnalyticsSink } from '@shop/analytics-worker';
import {
  OrderCompleted,
  OrderDelivered,
  OrderPlaced,
  ReturnReceived,
  createEvent,
  encodeEvent,
  type AnyEvent,
} from '@shop/events';
import type { Producer } from '@shop/kafka';
import {
  graphql,
  startSupergraph,
  testAnalyticsDatabase,
  testEnv,
  type RunningSupergraph,
} from '@shop/testing';
import { freshTopic, testKafka } from '../../events/test/helpers.ts';

const env = testEnv(inject('stack'));
const tag = randomUUID().slice(0, 8);
const DAY = 86_400_000;
const eur = (amount: string) => ({ amount, currency: 'EUR' });
let analytics: AnalyticsStore;
let supergraph: RunningSupergraph;
let sink: AnalyticsSink;
let producer: Producer;
let ordersTopic: string;
let admin: Record<string, string>;

beforeAll(async () => {
  analytics = connectAnalytics({
    url: env.stack.clickhouse.url,
    database: testAnalyticsDatabase(),
  });
  supergraph = await startSupergraph(env);
  const kafka = testKafka('analytics-fulfillment-e2e');
  const topics = {
    productViews: await freshTopic(kafka, `e2e-f-views-${tag}`),
    orders: await freshTopic(kafka, `e2e-f-orders-${tag}`),
  };
  ordersTopic = topics.orders;
  sink = await startAnalyticsSink({
    kafka,
    store: analytics,
    topics,
    name: `analytics-fulfillment-e2e-${tag}`,
    maxWaitMs: 100,
  });
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  admin = await supergraph.authAs({ userId: randomUUID(), role: 'ADMIN' });
});
afterAll(async () => {
  await sink?.stop();
  await producer?.disconnect();
  await supergraph?.close();
  await analytics?.close();
});

/** Every event twice, in two sends: at-least-once delivery must not change a figure. */
async function publishTwice(events: readonly AnyEvent[]) {
  const before = sink.consumer.stats.rows;
  const rows = events.flatMap((e) => eventRows(e)).length;
  for (let copy = 0; copy < 2; copy++)
    await producer.send({
      topic: ordersTopic,
      acks: -1,
      messages: events.map((e) => encodeEvent(e)),
    });
  await vi.waitFor(
    () => expect(sink.consumer.stats.rows).toBeGreaterThanOrEqual(before + 2 * rows),
    { timeout: 30_000, interval: 50 },
  );
}

const DELIVERY_TIMES = `query ($days: Int) {
  deliveryTimes(days: $days) { day delivered p50Seconds p90Seconds }
}`;
const RETURN_RATES = `query ($first: Int, $window: AnalyticsWindow!) {
  returnRates(first: $first, window: $window) {
    product { id } unitsSold unitsReturned rate
  }
}`;

interface DeliveryTimeDay {
  day: string;
  delivered: number;
  p50Seconds: number;
  p90Seconds: number;
}
interface ReturnRate {
  product: { id: string };
  unitsSold: number;
  unitsReturned: number;
  rate: number;
}

describe('fulfilment analytics in the graph', () => {
  it('is for admins: UNAUTHENTICATED without a token, FORBIDDEN for customers and sellers', async () => {
    for (const query of [DELIVERY_TIMES, RETURN_RATES]) {
      const vars = { window: 'LAST_DAY' };
      const anonymous = await graphql(supergraph.gatewayUrl, query, vars);
      expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(anonymous.data).toBeNull();
      for (const role of ['CUSTOMER', 'SELLER'] as const) {
        const caller = await supergraph.authAs({ userId: randomUUID(), role });
        const refused = await graphql(supergraph.gatewayUrl, query, vars, caller);
        expect(refused.errors?.[0]?.extensions?.code, role).toBe('FORBIDDEN');
        expect(refused.data).toBeNull();
      }
    }
  });

  it('refuses days outside 1..365 and a page size outside 1..100, naming the argument', async () => {
    for (const days of [0, -3, 366]) {
      const res = await graphql(supergraph.gatewayUrl, DELIVERY_TIMES, { days }, admin);
      expect(res.errors?.[0]?.extensions, String(days)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'days',
      });
    }
    for (const first of [0, 101]) {
      const res = await graphql(
        supergraph.gatewayUrl,
        RETURN_RATES,
        { first, window: 'LAST_DAY' },
        admin,
      );
      expect(res.errors?.[0]?.extensions, String(first)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'first',
      });
    }
    const unknownWindow = await graphql(
      supergraph.gatewayUrl,
      RETURN_RATES,
      { window: 'LAST_YEAR' },
      admin,
    );
    expect(unknownWindow.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('shows admins the time from payment to delivery of a day, each order once', async () => {
    const listed = async (days: number) => {
      const res = await graphql<{ deliveryTimes: DeliveryTimeDay[] }>(
        supergraph.gatewayUrl,
        DELIVERY_TIMES,
        { days },
        admin,
      );
      expect(res.errors).toBeUndefined();
      return res.data!.deliveryTimes;
    };
    // A past day that no earlier run or other test delivered on (they deliver today).
    const taken = new Set((await listed(365)).map((d) => d.day));
    const midnight = Math.floor(Date.now() / DAY) * DAY;
    const start = 100 + Math.floor(Math.random() * 200);
    const back = Array.from({ length: 200 }, (_, i) => 100 + ((start + i) % 200)).find(
      (n) => !taken.has(new Date(midnight - n * DAY).toISOString().slice(0, 10)),
    )!;
    const noon = new Date(midnight - back * DAY + DAY / 2);
    const day = noon.toISOString().slice(0, 10);
    // Two orders, paid 1000 and 3000 seconds before their delivery at noon.
    const events = [1000, 3000].flatMap((wait) => {
      const orderId = randomUUID();
      const userId = randomUUID();
      const paidAt = new Date(noon.getTime() - wait * 1000);
      return [
        createEvent(
          OrderCompleted,
          orderId,
          { orderId, userId, total: eur('5.00') },
          { occurredAt: paidAt },
        ),
        createEvent(
          OrderDelivered,
          orderId,
          { orderId, userId, by: 'CARRIER' },
          { occurredAt: noon },
        ),
      ] as AnyEvent[];
    });
    await publishTwice(events);

    const days = await listed(365);
    // Median halfway between the two; p90 at 0.9 of the way.
    expect(days.find((d) => d.day === day)).toEqual({
      day,
      delivered: 2,
      p50Seconds: 2000,
      p90Seconds: 2800,
    });
    expect(days.map((d) => d.day)).toEqual([...days.map((d) => d.day)].sort());
    // The default (30 days) does not reach back that far.
    const res = await graphql<{ deliveryTimes: DeliveryTimeDay[] }>(
      supergraph.gatewayUrl,
      `
        {
          deliveryTimes {
            day
          }
        }
      `,
      {},
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.deliveryTimes.map((d) => d.day)).not.toContain(day);
  });

  it('shows admins return rates of the products sold in the window, highest first', async () => {
    const [returnedOften, neverReturned] = [randomUUID(), randomUUID()];
    const orderId = randomUUID();
    const userId = randomUUID();
    await publishTwice([
      createEvent(OrderPlaced, orderId, {
        orderId,
        userId,
        items: [
          { productId: returnedOften, quantity: 4, unitPrice: eur('10.00') },
          { productId: neverReturned, quantity: 2, unitPrice: eur('10.00') },
        ],
        total: eur('60.00'),
      }),
      createEvent(OrderCompleted, orderId, { orderId, userId, total: eur('60.00') }),
      createEvent(ReturnReceived, orderId, {
        returnId: randomUUID(),
        orderId,
        userId,
        by: 'ADMIN',
        lines: [{ productId: returnedOften, quantity: 1, refund: eur('10.00') }],
        refund: eur('10.00'),
      }),
    ] as AnyEvent[]);

    const res = await graphql<{ returnRates: ReturnRate[] }>(
      supergraph.gatewayUrl,
      RETURN_RATES,
      { first: 100, window: 'LAST_HOUR' },
      admin,
    );
    expect(res.errors).toBeUndefined();
    const rates = res.data!.returnRates;
    const at = (id: string) => rates.findIndex((r) => r.product.id === id);
    expect(rates[at(returnedOften)]).toEqual({
      product: { id: returnedOften },
      unitsSold: 4,
      unitsReturned: 1,
      rate: 0.25,
    });
    expect(rates[at(neverReturned)]).toEqual({
      product: { id: neverReturned },
      unitsSold: 2,
      unitsReturned: 0,
      rate: 0,
    });
    expect(at(returnedOften)).toBeLessThan(at(neverReturned));
    expect(rates.map((r) => r.rate)).toEqual([...rates.map((r) => r.rate)].sort((a, b) => b - a));
  });
});
