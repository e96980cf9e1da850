import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { connectAnalytics, dropAnalyticsDatabase, type AnalyticsStore } from '@shop/analytics';
import { startAnalyticsSink, type AnalyticsSink } from '@shop/analytics-worker';
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
function order(lines: [string, number][], outcome: 'completed' | 'cancelled'): AnyEvent[] {
  const orderId = randomUUID();
  const userId = randomUUID();
  return [
    createEvent(OrderPlaced, orderId, {
      orderId,
      userId,
      items: lines.map(([productId, quantity]) => ({ productId, quantity, unitPrice: money })),
      total: money,
    }),
    outcome === 'completed'
      ? createEvent(OrderCompleted, orderId, { orderId, userId, total: money })
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
    ...order([[b!, 3]], 'completed'),
    ...order([[c!, 5]], 'cancelled'),
  ];
  // Each event twice: at-least-once delivery must not change a count.
  const send = (topic: string, events: AnyEvent[]) =>
    producer.send({ topic, acks: -1, messages: [...events, ...events].map((e) => encodeEvent(e)) });
  await send(topics.productViews, views);
  await send(topics.orders, orders);
  const rows = 2 * (views.length + orders.length);
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
