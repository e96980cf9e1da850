import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  connectAnalytics,
  dropAnalyticsDatabase,
  insertAnalyticsRows,
  popularProducts,
  productCounts,
  revenueByDay,
  windowStart,
  type AnalyticsRow,
  type AnalyticsStore,
} from '@shop/analytics';
import {
  BatchingEventConsumer,
  OrderCancelled,
  OrderCompleted,
  OrderPlaced,
  ProductViewed,
  createEvent,
  encodeEvent,
  listDeadLetters,
  type AnyEvent,
} from '@shop/events';
import { createKafka, ensureTopics, type Kafka, type Producer } from '@shop/kafka';
import { TEST_PREFIX } from '@shop/testing';
import { eventRows } from '../src/event-rows.ts';
import { startAnalyticsSink, type AnalyticsSink } from '../src/analytics-sink.ts';
import { freshTopic, testKafka, waitFor } from '../../../events/test/helpers.ts';

const tag = randomUUID().slice(0, 8);
const money = { amount: '9.50', currency: 'EUR' };
let kafka: Kafka;
let producer: Producer;
let store: AnalyticsStore;
let sink: AnalyticsSink;
let topics: { productViews: string; orders: string };
let dlqTopic: string;

beforeAll(async () => {
  kafka = testKafka('analytics-sink-test');
  store = connectAnalytics({
    url: inject('stack').clickhouse.url,
    database: `${TEST_PREFIX}_analytics_sink`,
  });
  await dropAnalyticsDatabase(store);
  topics = {
    productViews: await freshTopic(kafka, `an-views-${tag}`),
    orders: await freshTopic(kafka, `an-orders-${tag}`),
  };
  dlqTopic = await freshTopic(kafka, `an-dlq-${tag}`, 1);
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  // Small batches so that copies of one event land in different parts (unmerged duplicates).
  sink = await startAnalyticsSink({
    kafka,
    store,
    topics,
    name: `analytics-test-${tag}`,
    maxRows: 7,
    maxWaitMs: 100,
    deadLetterTopic: dlqTopic,
    backoff: { initialMs: 20, maxMs: 200 },
  });
});
afterAll(async () => {
  await sink?.stop();
  await producer?.disconnect();
  await store?.close();
});

/** Publishes events the way the outbox relay does (keyed by aggregate, contract encoding). */
async function publish(topic: string, events: readonly AnyEvent[]) {
  await producer.send({ topic, acks: -1, messages: events.map((e) => encodeEvent(e)) });
}

const rowsOf = (events: readonly AnyEvent[]) => events.flatMap((e) => eventRows(e)).length;

function view(productId: string, occurredAt = new Date()): AnyEvent {
  return createEvent(ProductViewed, productId, { productId, userId: randomUUID() }, { occurredAt });
}

function placed(orderId: string, lines: [string, number][]): AnyEvent {
  return createEvent(OrderPlaced, orderId, {
    orderId,
    userId: randomUUID(),
    items: lines.map(([productId, quantity]) => ({ productId, quantity, unitPrice: money })),
    total: money,
  });
}

/** Sales without a discount or tax: revenue with and without tax alike (cents). */
const eur = (cents: number) => ({
  currency: 'EUR',
  revenue: BigInt(cents),
  revenueExTax: BigInt(cents),
});

const completed = (orderId: string): AnyEvent =>
  createEvent(OrderCompleted, orderId, { orderId, userId: randomUUID(), total: money });
const cancelled = (orderId: string): AnyEvent =>
  createEvent(OrderCancelled, orderId, {
    orderId,
    userId: randomUUID(),
    reason: 'out of stock',
    previousStatus: 'PENDING',
  });

/**
 * An OrderPlaced as the checkout writes it (NET: tax added), placed at `at`; money in cents.
 * Shipping carries no tax here, to keep the hand sums short.
 */
function checkoutOrder(
  at: number,
  lines: { productId: string; quantity: number; unit: number; discount: number; tax: number }[],
  shipping: number,
  currency = 'EUR',
) {
  const orderId = randomUUID();
  const m = (cents: number) => ({
    amount: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
    currency,
  });
  const sum = (f: (l: (typeof lines)[number]) => number) => lines.reduce((n, l) => n + f(l), 0);
  const subtotal = sum((l) => l.unit * l.quantity);
  const discount = sum((l) => l.discount);
  const tax = sum((l) => l.tax);
  const placed = createEvent(
    OrderPlaced,
    orderId,
    {
      orderId,
      userId: randomUUID(),
      items: lines.map((l) => ({
        productId: l.productId,
        quantity: l.quantity,
        unitPrice: m(l.unit),
        discount: m(l.discount),
        tax: m(l.tax),
      })),
      total: m(subtotal - discount + shipping + tax),
      totals: {
        subtotal: m(subtotal),
        discount: m(discount),
        shipping: m(shipping),
        tax: m(tax),
        priceMode: 'NET',
      },
      discountCode: discount > 0 ? 'TEST10' : null,
      shippingCountry: 'DE',
    },
    { occurredAt: new Date(at) },
  );
  return { orderId, placed: placed as AnyEvent };
}

describe('analytics sink', () => {
  it('counts every view and sale exactly once through duplicate deliveries', async () => {
    const [p1, p2, p3] = [randomUUID(), randomUUID(), randomUUID()];
    const [o1, o2, o3, o4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600_000);
    const views = [
      ...Array.from({ length: 5 }, () => view(p1)),
      ...Array.from({ length: 3 }, () => view(p2)),
      view(p3, twoDaysAgo),
    ];
    const orders = [
      placed(o1, [
        [p1, 2],
        [p2, 1],
      ]),
      completed(o1),
      placed(o2, [[p2, 5]]),
      cancelled(o2),
      placed(o3, [[p1, 4]]), // still open: not a sale
      placed(o4, [[p2, 3]]),
      completed(o4),
    ];
    // Every event delivered twice in one wave, then again in a later wave after those were
    // written, the way a relay retry or a consumer restart re-sends them.
    await publish(topics.productViews, [...views, ...views]);
    await publish(topics.orders, [...orders, ...orders]);
    const firstWave = rowsOf(views) * 2 + rowsOf(orders) * 2;
    await waitFor(() => sink.consumer.stats.rows >= firstWave);
    await publish(topics.productViews, views.slice(0, 4));
    await publish(topics.orders, orders);
    const total = firstWave + rowsOf(views.slice(0, 4)) + rowsOf(orders);
    await waitFor(() => sink.consumer.stats.rows >= total);
    expect(sink.consumer.stats.rows).toBe(total);

    const lastDay = windowStart('LAST_DAY');
    const counts = await productCounts(store, [p1, p2, p3], lastDay);
    expect(counts.get(p1)).toEqual({ productId: p1, views: 5, sales: 2, revenue: eur(1900) });
    expect(counts.get(p2)).toEqual({ productId: p2, views: 3, sales: 4, revenue: eur(3800) });
    expect(counts.has(p3)).toBe(false);
    const week = await productCounts(store, [p3], windowStart('LAST_7_DAYS'));
    expect(week.get(p3)).toEqual({ productId: p3, views: 1, sales: 0, revenue: null });

    // The same answers from distinct event ids, the other way of reading through duplicates.
    const distinct = await productCounts(store, [p1, p2], lastDay, 'distinct');
    expect(distinct.get(p1)).toEqual(counts.get(p1));
    expect(distinct.get(p2)).toEqual(counts.get(p2));

    const byViews = await popularProducts(store, { by: 'views', since: lastDay, limit: 2 });
    expect(byViews).toEqual([
      { productId: p1, views: 5, sales: 2, revenue: eur(1900) },
      { productId: p2, views: 3, sales: 4, revenue: eur(3800) },
    ]);
    const bySales = await popularProducts(store, { by: 'sales', since: lastDay, limit: 10 });
    expect(bySales).toEqual([
      { productId: p2, views: 3, sales: 4, revenue: eur(3800) },
      { productId: p1, views: 5, sales: 2, revenue: eur(1900) },
    ]);
  });

  it("counts sales net of each line's discount, and revenue per day placed, through duplicates", async () => {
    const [p, q] = [randomUUID(), randomUUID()];
    const DAY = 86_400_000;
    const today = Date.UTC(
      new Date().getUTCFullYear(),
      new Date().getUTCMonth(),
      new Date().getUTCDate(),
    );
    const [from, day1, day2] = [today - 11 * DAY, today - 10 * DAY, today - 9 * DAY];
    const line = (productId: string, quantity: number, unit: number, discount = 0, tax = 0) => ({
      productId,
      quantity,
      unit,
      discount,
      tax,
    });
    // A: 2 x 20.00 less 4.00, 19 % tax on 36.00, 4.99 shipping (untaxed here); B: 1 x 20.00.
    const a = checkoutOrder(day1 + 10 * 3600_000, [line(p, 2, 2000, 400, 684)], 499);
    const b = checkoutOrder(day1 + 11 * 3600_000, [line(p, 1, 2000, 0, 380)], 0);
    const c = checkoutOrder(day1 + 12 * 3600_000, [line(p, 1, 2000, 0, 380)], 499);
    // The last second of the range, in another currency, still open: revenue, not a sale.
    const d = checkoutOrder(day2 + DAY - 1000, [line(q, 3, 500)], 0, 'USD');
    const e = checkoutOrder(day2, [line(q, 1, 500, 50, 86)], 0);
    // The first second after the range.
    const f = checkoutOrder(day2 + DAY, [line(p, 1, 2000, 0, 380)], 0);
    const events = [
      ...[a, b, c, d, e, f].map((o) => o.placed),
      ...[a, b, e].map((o) => completed(o.orderId)),
      cancelled(c.orderId),
    ];
    const before = sink.consumer.stats.rows;
    await publish(topics.orders, [...events, ...events]);
    await waitFor(() => sink.consumer.stats.rows >= before + 2 * rowsOf(events));

    const counts = await productCounts(store, [p, q], windowStart('LAST_DAY'));
    // p: (36.00 + 6.84) + (20.00 + 3.80) with tax, 36.00 + 20.00 without; q: 4.50 + 0.86.
    expect(counts.get(p)).toEqual({
      productId: p,
      views: 0,
      sales: 3,
      revenue: { currency: 'EUR', revenue: 6664n, revenueExTax: 5600n },
    });
    expect(counts.get(q)).toEqual({
      productId: q,
      views: 0,
      sales: 1,
      revenue: { currency: 'EUR', revenue: 536n, revenueExTax: 450n },
    });
    expect(await productCounts(store, [p, q], windowStart('LAST_DAY'), 'distinct')).toEqual(counts);

    const range = { from: new Date(from), to: new Date(day2) };
    const days = await revenueByDay(store, range);
    const day = (t: number) => new Date(t).toISOString().slice(0, 10);
    expect(days).toEqual([
      {
        day: day(day1),
        currency: 'EUR',
        orders: 2,
        cancelledOrders: 1,
        subtotal: 6000n,
        discounts: 400n,
        shipping: 499n,
        tax: 1064n,
        // A: 40.00 - 4.00 + 4.99 + 6.84; B: 20.00 + 3.80.
        revenue: 4783n + 2380n,
        revenueExTax: 4783n + 2380n - 1064n,
      },
      {
        day: day(day2),
        currency: 'EUR',
        orders: 1,
        cancelledOrders: 0,
        subtotal: 500n,
        discounts: 50n,
        shipping: 0n,
        tax: 86n,
        revenue: 536n,
        revenueExTax: 450n,
      },
      {
        day: day(day2),
        currency: 'USD',
        orders: 1,
        cancelledOrders: 0,
        subtotal: 1500n,
        discounts: 0n,
        shipping: 0n,
        tax: 0n,
        revenue: 1500n,
        revenueExTax: 1500n,
      },
    ]);
    expect(await revenueByDay(store, range, 'distinct')).toEqual(days);
    // One day alone, and the day after the range alone.
    expect(
      (await revenueByDay(store, { from: new Date(day2), to: new Date(day2) })).map(
        (r) => r.currency,
      ),
    ).toEqual(['EUR', 'USD']);
    const after = await revenueByDay(store, {
      from: new Date(day2 + DAY),
      to: new Date(day2 + DAY),
    });
    expect(after.map((r) => [r.day, r.orders, r.revenue])).toEqual([[day(day2 + DAY), 1, 2380n]]);
  });

  it('dead-letters a message that breaks its contract and goes on with the next ones', async () => {
    const productId = randomUUID();
    const orderId = randomUUID();
    const bad = placed(orderId, [[productId, 1]]);
    await producer.send({
      topic: topics.orders,
      acks: -1,
      messages: [
        { key: orderId, value: 'not json at all' },
        { key: orderId, value: JSON.stringify({ ...bad, payload: { orderId } }) },
      ],
    });
    const after = view(productId);
    await publish(topics.productViews, [after]);
    await waitFor(async () => {
      const counts = await productCounts(store, [productId], windowStart('LAST_HOUR'));
      return counts.get(productId)?.views === 1;
    });
    const letters = await listDeadLetters(kafka, { topic: dlqTopic });
    expect(letters.map((l) => [l.sourceTopic, l.consumer])).toEqual([
      [topics.orders, `analytics-test-${tag}`],
      [topics.orders, `analytics-test-${tag}`],
    ]);
    expect(letters[0]!.reason).toMatch(/^not JSON/);
    expect(letters[1]!.reason).toMatch(/OrderPlaced: invalid payload: .*items/);
    expect(sink.consumer.stats.deadLettered).toBe(2);
  });
});

describe('batching consumer crashes', () => {
  it('restarts when kafkajs gives up, and reads again what it had not written', async () => {
    const topic = await freshTopic(kafka, `an-crash-${tag}`, 1);
    const missingDlq = `t-an-missing-dlq-${tag}`;
    // kafkajs restarts a crashed consumer itself only after errors it deems retriable; here it
    // deems none retriable, as after an error it has no retry for.
    const giveUpKafka = createKafka({
      clientId: 'analytics-crash-test',
      brokers: inject('stack').kafka.brokers,
      retry: { initialRetryTime: 100, retries: 2, restartOnFailure: async () => false },
    });
    const consumer = new BatchingEventConsumer<AnalyticsRow>({
      name: `analytics-crash-${tag}`,
      kafka: giveUpKafka,
      topics: [topic],
      checkTopic: false,
      toRows: eventRows,
      write: (rows) => insertAnalyticsRows(store, rows),
      maxRows: 1000,
      maxWaitMs: 50,
      // The dead-letter topic does not exist yet: handing the poison message over fails.
      deadLetterTopic: missingDlq,
    });
    const productId = randomUUID();
    try {
      await consumer.start();
      await producer.send({ topic, acks: -1, messages: [{ key: 'x', value: 'poison' }] });
      await publish(topic, [view(productId)]);
      await waitFor(() => consumer.stats.crashes > 0, 60_000);
      const admin = kafka.admin();
      await admin.connect();
      await ensureTopics(admin, [{ name: missingDlq, partitions: 1 }]).finally(() =>
        admin.disconnect(),
      );
      await waitFor(async () => {
        const counts = await productCounts(store, [productId], windowStart('LAST_HOUR'));
        return counts.get(productId)?.views === 1;
      }, 60_000);
      expect(consumer.stats.restarts).toBeGreaterThan(0);
      const letters = await listDeadLetters(kafka, { topic: missingDlq });
      expect(letters.map((l) => l.reason)).toEqual([expect.stringMatching(/^not JSON/)]);
    } finally {
      await consumer.stop();
    }
  });
});

describe('batching consumer commits', () => {
  it('writes and commits what is pending when it stops', async () => {
    const topic = await freshTopic(kafka, `an-stop-${tag}`, 1);
    const groupId = `analytics-stop-${tag}`;
    const consumer = new BatchingEventConsumer<AnalyticsRow>({
      name: groupId,
      kafka,
      topics: [topic],
      checkTopic: false,
      toRows: eventRows,
      write: (rows) => insertAnalyticsRows(store, rows),
      // Neither limit is reached during the test: only stop() writes.
      maxRows: 1000,
      maxWaitMs: 600_000,
      deadLetterTopic: dlqTopic,
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await consumer.start();
      const productId = randomUUID();
      await publish(topic, [view(productId), view(productId)]);
      await waitFor(() => consumer.stats.pendingRows === 2);
      expect(consumer.stats.batches).toBe(0);
      await consumer.stop();
      const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
      expect(offsets[0]!.partitions[0]!.offset).toBe('2');
      const counts = await productCounts(store, [productId], windowStart('LAST_HOUR'));
      expect(counts.get(productId)?.views).toBe(2);
    } finally {
      await consumer.stop();
      await admin.disconnect();
    }
  });

  it('commits offsets only after the batch was written', async () => {
    const topic = await freshTopic(kafka, `an-commit-${tag}`, 1);
    const groupId = `analytics-commit-${tag}`;
    const admin = kafka.admin();
    await admin.connect();
    const committed = async () =>
      (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]!.partitions[0]!.offset;
    const seenWhileFailing: string[] = [];
    let failures = 0;
    const consumer = new BatchingEventConsumer<AnalyticsRow>({
      name: groupId,
      kafka,
      topics: [topic],
      checkTopic: false,
      toRows: eventRows,
      // ClickHouse refusing the first two inserts, as when it restarts.
      write: async (rows) => {
        if (failures < 2) {
          failures++;
          seenWhileFailing.push(await committed());
          throw new Error('ClickHouse unavailable');
        }
        await insertAnalyticsRows(store, rows);
      },
      maxRows: 1000,
      maxWaitMs: 50,
      backoff: { initialMs: 20, maxMs: 50 },
      deadLetterTopic: dlqTopic,
    });
    try {
      await consumer.start();
      const productId = randomUUID();
      await publish(topic, [view(productId), view(productId), view(productId)]);
      await waitFor(async () => (await committed()) === '3');
      expect(seenWhileFailing).toEqual(['-1', '-1']);
      expect(consumer.stats.writeFailures).toBe(2);
      const counts = await productCounts(store, [productId], windowStart('LAST_HOUR'));
      expect(counts.get(productId)?.views).toBe(3);
    } finally {
      await consumer.stop();
      await admin.disconnect();
    }
  });
});
