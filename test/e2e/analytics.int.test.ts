import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectAnalytics, dropAnalyticsDatabase, type AnalyticsStore } from '@shop/analytics';
import { eventRows, startAnalyticsSink, type AnalyticsSink } from '@shop/analytics-worker';
import {
  OrderCancelled,
  OrderCompleted,
  OrderPlaced,
  ProductViewed,
  createEvent,
  encodeEvent,
  type AnyEvent,
} from '@shop/events';
import type { Producer } from '@shop/kafka';
import {
  graphql,
  loadFixtureStore,
  startSupergraph,
  testAnalyticsDatabase,
  testEnv,
  type RunningSupergraph,
} from '@shop/testing';
import type { Store } from '@shop/seed';
import { freshTopic, testKafka, waitFor } from '../../events/test/helpers.ts';

const env = testEnv(inject('stack'));
const tag = randomUUID().slice(0, 8);
const money = { amount: '12.00', currency: 'EUR' };
let store: Store;
let analytics: AnalyticsStore;
let supergraph: RunningSupergraph;
let sink: AnalyticsSink;
let producer: Producer;

const view = (productId: string): AnyEvent =>
  createEvent(ProductViewed, productId, { productId, userId: null });
/** When every order of this file was placed (one moment, so one UTC day). */
const placedAt = new Date();

/**
 * An order's events. With `checkout`, its one line carries its discount and tax and the order its
 * breakdown (NET: tax added), as the checkout writes them; without, it is an order from before
 * the checkout (price x quantity, nothing else).
 */
function order(
  lines: [string, number][],
  outcome: 'completed' | 'cancelled',
  checkout?: { discount: string; tax: string; shipping: string; total: string },
): AnyEvent[] {
  const orderId = randomUUID();
  const userId = randomUUID();
  const eur = (amount: string) => ({ amount, currency: 'EUR' });
  const total = checkout ? eur(checkout.total) : money;
  return [
    createEvent(
      OrderPlaced,
      orderId,
      {
        orderId,
        userId,
        items: lines.map(([productId, quantity]) => ({
          productId,
          quantity,
          unitPrice: money,
          ...(checkout && { discount: eur(checkout.discount), tax: eur(checkout.tax) }),
        })),
        total,
        ...(checkout && {
          totals: {
            subtotal: eur((12 * lines[0]![1]).toFixed(2)),
            discount: eur(checkout.discount),
            shipping: eur(checkout.shipping),
            tax: eur(checkout.tax),
            priceMode: 'NET' as const,
          },
          discountCode: 'WELCOME10',
          shippingCountry: 'DE',
        }),
      },
      { occurredAt: placedAt },
    ),
    outcome === 'completed'
      ? createEvent(OrderCompleted, orderId, { orderId, userId, total })
      : createEvent(OrderCancelled, orderId, {
          orderId,
          userId,
          reason: 'payment declined',
          previousStatus: 'STOCK_RESERVED',
        }),
  ];
}

beforeAll(async () => {
  store = await loadFixtureStore(env, { products: 30, customers: 4, reviewedShare: 0.5 });
  // The supergraph's analytics database starts empty, so the popularity lists are this file's.
  analytics = connectAnalytics({
    url: env.stack.clickhouse.url,
    database: testAnalyticsDatabase(),
  });
  await dropAnalyticsDatabase(analytics);
  supergraph = await startSupergraph(env);
  const kafka = testKafka('analytics-e2e');
  const topics = {
    productViews: await freshTopic(kafka, `e2e-views-${tag}`),
    orders: await freshTopic(kafka, `e2e-orders-${tag}`),
  };
  sinkTopics = topics;
  sink = await startAnalyticsSink({
    kafka,
    store: analytics,
    topics,
    name: `analytics-e2e-${tag}`,
    maxWaitMs: 100,
  });
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();

  const [a, b, c] = store.products.map((p) => p.id);
  const views = [a, a, a, a, b, b, c].map((id) => view(id!));
  const orders = [
    ...order([[a!, 1]], 'completed'),
    // 3 x 12.00 = 36.00, 10 % off: 32.40, 19 % tax on it 6.16, shipping 4.99: 43.55.
    ...order([[b!, 3]], 'completed', {
      discount: '3.60',
      tax: '6.16',
      shipping: '4.99',
      total: '43.55',
    }),
    ...order([[c!, 5]], 'cancelled'),
  ];
  // Each event twice: at-least-once delivery must not change a count.
  const send = (topic: string, events: AnyEvent[]) =>
    producer.send({ topic, acks: -1, messages: [...events, ...events].map((e) => encodeEvent(e)) });
  await send(topics.productViews, views);
  await send(topics.orders, orders);
  const rows = 2 * [...views, ...orders].flatMap((e) => eventRows(e)).length;
  await waitFor(() => sink.consumer.stats.rows >= rows);
});
afterAll(async () => {
  await sink?.stop();
  await producer?.disconnect();
  await supergraph?.close();
  await analytics?.close();
});

let sinkTopics: { productViews: string; orders: string };

const POPULAR = `
  query ($by: PopularityMetric!, $window: AnalyticsWindow!, $first: Int) {
    popularProducts(by: $by, window: $window, first: $first) {
      views sales product { id name }
    }
  }`;
const popular = (vars: Record<string, unknown>) =>
  graphql<{
    popularProducts: {
      views: number;
      sales: number;
      product: { id: string; name: string } | null;
    }[];
  }>(supergraph.gatewayUrl, POPULAR, vars);

describe('analytics in the graph', () => {
  it('lists the most viewed products with both counts and catalog fields', async () => {
    const [a, b] = store.products;
    const res = await popular({ by: 'VIEWS', window: 'LAST_DAY', first: 2 });
    expect(res.errors).toBeUndefined();
    expect(res.data!.popularProducts).toEqual([
      { views: 4, sales: 1, product: { id: a!.id, name: a!.name } },
      { views: 2, sales: 3, product: { id: b!.id, name: b!.name } },
    ]);
  });

  it('lists best sellers from completed orders only', async () => {
    const [a, b] = store.products;
    const res = await popular({ by: 'SALES', window: 'LAST_7_DAYS' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.popularProducts.map((p) => [p.product?.id, p.sales, p.views])).toEqual([
      [b!.id, 3, 2],
      [a!.id, 1, 4],
    ]);
  });

  it('adds stats to catalog products, per window, for a whole list', async () => {
    const res = await graphql<{
      products: {
        edges: { node: { id: string; day: { views: number; sales: number; window: string } } }[];
      };
    }>(
      supergraph.gatewayUrl,
      `
        {
          products(first: 50) {
            edges {
              node {
                id
                day: stats(window: LAST_HOUR) {
                  window
                  views
                  sales
                }
              }
            }
          }
        }
      `,
    );
    expect(res.errors).toBeUndefined();
    const byId = new Map(res.data!.products.edges.map((e) => [e.node.id, e.node.day]));
    const [a, b, c, d] = store.products;
    expect(byId.get(a!.id)).toEqual({ window: 'LAST_HOUR', views: 4, sales: 1 });
    expect(byId.get(b!.id)).toEqual({ window: 'LAST_HOUR', views: 2, sales: 3 });
    expect(byId.get(c!.id)).toEqual({ window: 'LAST_HOUR', views: 1, sales: 0 });
    expect(byId.get(d!.id)).toEqual({ window: 'LAST_HOUR', views: 0, sales: 0 });
  });

  it('lists a product the catalog does not know with a null product, not a failed list', async () => {
    const unknown = randomUUID();
    const before = sink.consumer.stats.rows;
    await producer.send({
      topic: sinkTopics.productViews,
      acks: -1,
      messages: [encodeEvent(view(unknown))],
    });
    await waitFor(() => sink.consumer.stats.rows > before);
    const res = await popular({ by: 'VIEWS', window: 'LAST_DAY', first: 10 });
    expect(res.errors).toBeUndefined();
    expect(res.data!.popularProducts).toContainEqual({ views: 1, sales: 0, product: null });
    const [a] = store.products;
    expect(res.data!.popularProducts[0]).toEqual({
      views: 4,
      sales: 1,
      product: { id: a!.id, name: a!.name },
    });
  });

  it("counts what a product's sales brought in, net of its discount, with and without tax", async () => {
    const [a, b, c] = store.products;
    const res = await graphql<{
      popularProducts: {
        product: { id: string } | null;
        revenue: { amount: string; currency: string } | null;
        revenueExTax: { amount: string } | null;
      }[];
    }>(
      supergraph.gatewayUrl,
      `
        {
          popularProducts(by: SALES, window: LAST_DAY) {
            product {
              id
            }
            revenue {
              amount
              currency
            }
            revenueExTax {
              amount
            }
          }
        }
      `,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.popularProducts).toEqual([
      // 32.40 after its 3.60 discount, 6.16 tax on top.
      {
        product: { id: b!.id },
        revenue: { amount: '38.56', currency: 'EUR' },
        revenueExTax: { amount: '32.40' },
      },
      // An order from before the checkout: 1 x 12.00, no discount or tax known.
      {
        product: { id: a!.id },
        revenue: { amount: '12.00', currency: 'EUR' },
        revenueExTax: { amount: '12.00' },
      },
    ]);
    const stats = await graphql<{
      product: { stats: { sales: number; revenue: unknown; revenueExTax: unknown } };
    }>(
      supergraph.gatewayUrl,
      `
        query ($id: ID!) {
          product(id: $id) {
            stats(window: LAST_DAY) {
              sales
              revenue {
                amount
              }
              revenueExTax {
                amount
              }
            }
          }
        }
      `,
      { id: c!.id },
    );
    // Its only order was cancelled: no sale, no money.
    expect(stats.data!.product.stats).toEqual({ sales: 0, revenue: null, revenueExTax: null });
  });

  const REVENUE = `query ($from: String!, $to: String!) {
    revenueByDay(from: $from, to: $to) {
      day orders cancelledOrders
      revenue { amount currency } revenueExTax { amount } subtotal { amount }
      discounts { amount } shipping { amount } tax { amount }
    }
  }`;
  const today = placedAt.toISOString().slice(0, 10);
  const monthBefore = new Date(placedAt.getTime() - 30 * 86_400_000).toISOString().slice(0, 10);

  it('shows admins the revenue of each day, placed orders that still stand', async () => {
    const admin = await supergraph.authAs({ userId: randomUUID(), role: 'ADMIN' });
    const res = await graphql<{ revenueByDay: unknown[] }>(
      supergraph.gatewayUrl,
      REVENUE,
      { from: monthBefore, to: today },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.revenueByDay).toEqual([
      {
        day: today,
        // The 12.00 order and the 43.55 one; the cancelled one counts apart, without money.
        orders: 2,
        cancelledOrders: 1,
        revenue: { amount: '55.55', currency: 'EUR' },
        revenueExTax: { amount: '49.39' },
        subtotal: { amount: '48.00' },
        discounts: { amount: '3.60' },
        shipping: { amount: '4.99' },
        tax: { amount: '6.16' },
      },
    ]);
    const before = await graphql<{ revenueByDay: unknown[] }>(
      supergraph.gatewayUrl,
      REVENUE,
      { from: '2025-01-01', to: '2025-12-31' }, // before this test was written
      admin,
    );
    expect(before.data).toEqual({ revenueByDay: [] });
  });

  it('keeps revenue from customers and refuses bad days, naming the argument', async () => {
    const anonymous = await graphql(supergraph.gatewayUrl, REVENUE, { from: today, to: today });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const customer = await supergraph.authAs({ userId: randomUUID(), role: 'CUSTOMER' });
    const refused = await graphql(
      supergraph.gatewayUrl,
      REVENUE,
      { from: today, to: today },
      customer,
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(refused.data).toBeNull();
    const admin = await supergraph.authAs({ userId: randomUUID(), role: 'ADMIN' });
    for (const [from, to, field] of [
      ['2026-02-30', '2026-03-01', 'from'],
      ['2026-03-01', 'tomorrow', 'to'],
      ['2026-03-02', '2026-03-01', 'to'],
      // 367 days.
      ['2028-01-01', '2029-01-01', 'to'],
    ] as const) {
      const res = await graphql(supergraph.gatewayUrl, REVENUE, { from, to }, admin);
      expect(res.errors?.[0]?.extensions, `${from}..${to}`).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
      });
    }
  });

  it('answers BAD_USER_INPUT for a page size outside 1..100 or an unknown window', async () => {
    for (const vars of [
      { by: 'VIEWS', window: 'LAST_DAY', first: 0 },
      { by: 'VIEWS', window: 'LAST_DAY', first: 101 },
      { by: 'SALES', window: 'LAST_YEAR' },
    ]) {
      const res = await popular(vars);
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(vars)).toBe('BAD_USER_INPUT');
    }
  });
});
