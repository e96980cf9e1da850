/**
 * One order, one trace: a whole system of its own (every process started as `npm start` starts
 * it, with tracing on and the tracing preload) exports to the stack's real Zipkin, and an order
 * placed through the gateway with the client's `traceparent` is read back through Zipkin's API
 * as one tree: the gateway (planning, subgraph fetches), the order subgraph and its SQL, the
 * order relay's publish, the saga's handlers (the catalog's stock reservation, the payment, the
 * order's status up to COMPLETED) with the relays between them, and the gateway's pushes of the
 * live updates to the subscriber.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import {
  graphql,
  graphqlData,
  prepareCheckout,
  trackOrder,
  type OrderTracking,
} from '@shop/testing';
import { startSystem, type RunningSystem } from '../scripts/lib/system.ts';
import {
  orphansOf,
  serviceOf,
  spansNamed,
  zipkinTrace,
  type ZipkinSpan,
} from '../packages/tracing/test/zipkin-api.ts';

const PREFIX = 'shoptest_trace';
const zipkin = inject('stack').zipkin;
const TRACING = {
  TRACING_ENABLED: 'true',
  TRACING_SAMPLE_RATIO: '1',
  ZIPKIN_URL: zipkin.spansUrl,
};
const SERVICES = [
  ...['catalog', 'user', 'cart', 'order', 'search', 'gateway'],
  ...['relay-order', 'relay-catalog', 'relay-user', 'saga', 'search-indexer', 'analytics'],
  ...['cart-worker', 'notifications', 'carrier'],
];

/** Workers named after the system (their consumer groups must not be another system's). */
const WORKERS = new Set(['saga', 'analytics']);

let system: RunningSystem;
let tracking: OrderTracking | undefined;

beforeAll(async () => {
  system = await startSystem({
    prefix: PREFIX,
    portBase: 5500,
    env: {
      ...Object.fromEntries(SERVICES.map((name) => [name, TRACING])),
      // The payment takes a moment, so the subscription below is live before the order completes.
      saga: { ...TRACING, PAYMENT_LATENCY_MS: '1500' },
    },
  });
}, 240_000);

afterAll(async () => {
  await tracking?.client.dispose();
  await system?.close();
});

const TRACK = `subscription ($id: ID!) { orderUpdated(id: $id) { status items { product { name } } } }`;

const byIdOf = (spans: ZipkinSpan[]) => new Map(spans.map((s) => [s.id, s]));

/** Span names by service, to show what a trace holds when an expectation fails. */
const summary = (spans: ZipkinSpan[]) =>
  [...new Set(spans.map((s) => `${serviceOf(s)}: ${s.name}`))].sort();

describe('tracing through the gateway, the outbox, Kafka and the saga', () => {
  it('gives one trace from placeOrder to COMPLETED and the live push', async () => {
    const userId = randomUUID();
    const identity = { userId, role: 'CUSTOMER' as const };
    const token = await system.tokenFor(identity);
    const { products } = await graphqlData<{ products: { edges: { node: { id: string } }[] } }>(
      system.gatewayUrl,
      `{ products(filter: { inStock: true }, first: 1) { edges { node { id } } } }`,
    );
    await graphqlData(
      system.gatewayUrl,
      `mutation ($id: ID!) { addToCart(productId: $id, quantity: 1) { itemCount } }`,
      { id: products.edges[0]!.node.id },
      token,
    );
    await prepareCheckout(
      { gatewayUrl: system.gatewayUrl, userDbUrl: system.dbUrl('user') },
      { userId, token },
    );

    // The shopper's click: a sampled trace of the client's own, continued by the gateway.
    const traceId = randomBytes(16).toString('hex');
    const clickSpanId = randomBytes(8).toString('hex');
    const placed = await graphql<{ placeOrder: { id: string } }>(
      system.gatewayUrl,
      `
        mutation ($key: String!) {
          placeOrder(idempotencyKey: $key) {
            id
          }
        }
      `,
      { key: randomUUID() },
      { authorization: `Bearer ${token}`, traceparent: `00-${traceId}-${clickSpanId}-01` },
    );
    expect(placed.errors).toBeUndefined();
    const orderId = placed.data!.placeOrder.id;
    tracking = await trackOrder(
      { gatewayUrl: system.gatewayUrl, tokenFor: system.tokenFor },
      identity,
      orderId,
      TRACK,
    );
    await tracking.until((u) => u.status === 'COMPLETED', 30_000);

    const saga = `${PREFIX}-saga`;
    const expected: [service: string, span: string, route?: string][] = [
      ['gateway', 'gateway.plan'],
      ['gateway', 'gateway.fetch'],
      ['order', 'mutation'],
      // placeOrder's one statement (the order, its lines, its workflow entry, its outbox row),
      // named by its prepared statement's name.
      ['order', `pg.query:insert-order ${PREFIX}_order`],
      ['relay-order', 'publish OrderPlaced'],
      ['saga', 'handle OrderPlaced', `${saga}-catalog-stock`],
      ['relay-catalog', 'publish StockReserved'],
      ['saga', 'handle StockReserved', `${saga}-payment-simulator`],
      ['saga', 'handle StockReserved', `${saga}-order-status`],
      ['relay-order', 'publish PaymentAuthorized'],
      ['saga', 'handle PaymentAuthorized', `${saga}-order-status`],
      ['relay-order', 'publish OrderCompleted'],
      // The analytics sink's rows of the order, from read to written in ClickHouse.
      ['analytics', 'store OrderPlaced'],
      ['order', 'orderUpdated read'],
      ['gateway', 'subscription push order'],
    ];
    const missing = (spans: ZipkinSpan[]) =>
      expected
        .filter(
          ([service, name, route]) =>
            !spansNamed(spans, WORKERS.has(service) ? `${PREFIX}-${service}` : service, name).some(
              (s) => !route || s.tags?.['consumer.route'] === route,
            ),
        )
        .map(([service, name, route]) => `${service}: ${name}${route ? ` (${route})` : ''}`);
    let spans: ZipkinSpan[] = [];
    // On failure the last read shows what the trace held (service: span name).
    onTestFailed(() => console.log(summary(spans).join('\n')));
    await expect
      .poll(
        async () => {
          spans = await zipkinTrace(zipkin.url, traceId);
          return missing(spans);
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toEqual([]);
    // One tree: every span's parent is in the trace, up to the click.
    expect(orphansOf(spans, clickSpanId).map((s) => `${serviceOf(s)}: ${s.name}`)).toEqual([]);
    expect(spans.filter((s) => s.parentId === clickSpanId).map(serviceOf)).toEqual(['gateway']);
    // The live updates: each push to the subscriber goes on from the order service's read.
    for (const push of spansNamed(spans, 'gateway', 'subscription push order'))
      expect(byIdOf(spans).get(push.parentId!)?.name).toBe('orderupdated read');
    // The saga's steps ran in order, each under the publish of the event it handled.
    const byId = byIdOf(spans);
    for (const handle of spans.filter((s) => s.name?.startsWith('handle ')))
      expect(byId.get(handle.parentId!)?.name).toBe(handle.name!.replace('handle', 'publish'));
  }, 120_000);
});
