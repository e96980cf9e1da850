/**
 * The whole order path through the gateway with the real event pipeline: the order subgraph's
 * outbox, the relays, Kafka, the saga (stock, payment, order status) and live tracking over
 * graphql-ws. The saga reads the project's real topics from their current end, so events of
 * other runs on this broker are not replayed into the test.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Identity } from '@shop/auth';
import { OutboxRelay, SAGA_TOPICS } from '@shop/events';
import { createKafka, type Kafka } from '@shop/kafka';
import { createOrderPrisma, type PrismaClient } from '@shop/prisma/order';
import { createRedis, type Redis } from '@shop/redis';
import {
  graphql,
  loadFixtureStore,
  startGroupsAtEnd,
  startSupergraph,
  testEnv,
  type RunningSupergraph,
  prepareCheckout,
  trackOrder,
} from '@shop/testing';
import { startSaga, type Saga } from '../../workers/saga/src/saga.ts';

const env = testEnv(inject('stack'));
const tag = randomUUID().slice(0, 8);
/** The payment provider: answers after a short latency unless a test holds it. */
let heldPayments: { orderIds: string[]; released: Promise<void> } | null = null;
async function providerCall(orderId: string): Promise<void> {
  if (!heldPayments) return new Promise((r) => setTimeout(r, 50));
  heldPayments.orderIds.push(orderId);
  await heldPayments.released;
}
/** Holds every provider call until `release()`; `orderIds` lists the calls being held. */
function holdPayments() {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const held = { orderIds: [] as string[], released };
  heldPayments = held;
  return {
    orderIds: held.orderIds,
    release() {
      heldPayments = null;
      release();
    },
  };
}
let sg: RunningSupergraph;
let kafka: Kafka;
let catalog: pg.Pool;
let orders: PrismaClient;
let orderPool: pg.Pool;
let redis: Redis;
let relays: OutboxRelay[] = [];
let saga: Saga;
const clients: Client[] = [];

const TRACK = `subscription ($id: ID!) { orderUpdated(id: $id) {
  id status cancelReason updatedAt items { quantity product { name } } workflow { step event at } } }`;
const ADD = `mutation ($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { itemCount } }`;
const PLACE = `mutation ($k: String!) { placeOrder(idempotencyKey: $k) { id status } }`;
const CANCEL = `mutation ($id: ID!) { cancelOrder(id: $id, reason: "changed my mind") { id status } }`;
const ORDER = `query ($id: ID!) { order(id: $id) { status cancelReason workflow { step event detail at } } }`;

async function product(stock: number): Promise<{ id: string; name: string }> {
  const id = randomUUID();
  const name = `Lifecycle reel ${id.slice(0, 6)}`;
  const { rows } = await catalog.query<{ seller_id: string; category_id: string }>(
    `SELECT seller_id, category_id FROM products LIMIT 1`,
  );
  await catalog.query(
    `INSERT INTO products (id, sku, name, price, stock, category_id, seller_id, updated_at)
     VALUES ($1, $2, $3, '12.50', $4, $5, $6, now())`,
    [id, `life-${id}`, name, stock, rows[0]!.category_id, rows[0]!.seller_id],
  );
  return { id, name };
}

const stockOf = async (id: string) =>
  (await catalog.query<{ stock: number }>(`SELECT stock FROM products WHERE id = $1`, [id]))
    .rows[0]!.stock;

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function as(who: Identity, query: string, variables = {}) {
  return graphql<any>(sg.gatewayUrl, query, variables, await sg.authAs(who));
}

async function place(who: Identity, productId: string, quantity: number): Promise<string> {
  expect((await as(who, ADD, { p: productId, q: quantity })).errors).toBeUndefined();
  await prepareCheckout(sg, { userId: who.userId, token: await sg.tokenFor(who) });
  const res = await as(who, PLACE, { k: `life-${randomUUID()}` });
  expect(res.errors).toBeUndefined();
  return res.data.placeOrder.id;
}

/** Subscribes through the gateway; `until(check)` waits for a result that passes `check`. */
async function track(who: Identity, id: string) {
  const sub = await trackOrder(sg, who, id, TRACK);
  clients.push(sub.client);
  return sub;
}

beforeAll(async () => {
  const stack = inject('stack');
  await loadFixtureStore(env);
  sg = await startSupergraph(env);
  kafka = createKafka({ clientId: `lifecycle-${tag}`, brokers: stack.kafka.brokers });
  catalog = new pg.Pool({ connectionString: env.databaseUrl('catalog'), max: 4 });
  orders = createOrderPrisma(env.databaseUrl('order'));
  orderPool = new pg.Pool({ connectionString: env.databaseUrl('order'), max: 5 });
  redis = createRedis(stack.redis.url);
  await redis.connect();
  const prefix = `lifecycle-${tag}`;
  const topics = Object.values(SAGA_TOPICS);
  // The saga's one consumer group is named after its prefix.
  await startGroupsAtEnd(kafka, [prefix], topics);
  relays = [env.databaseUrl('order'), env.databaseUrl('catalog')].map(
    (databaseUrl) =>
      new OutboxRelay({
        databaseUrl,
        kafka,
        pollIntervalMs: 50,
        backoff: { initialMs: 50, maxMs: 500 },
      }),
  );
  for (const relay of relays) relay.start();
  saga = await startSaga({
    kafka,
    orderPool,
    catalogPool: catalog,
    redis,
    namePrefix: prefix,
    payment: { declineRate: 0, providerCall },
    backoff: { initialMs: 20, maxMs: 200 },
  });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await saga?.stop();
  await Promise.all(relays.map((r) => r.stop()));
  await sg?.close();
  await catalog?.end();
  await orders?.$disconnect();
  await orderPool?.end();
  redis?.disconnect();
});

describe('an order through the gateway and the saga', () => {
  it('reaches COMPLETED, and a subscriber sees every status in order with product names', async () => {
    const me: Identity = { userId: randomUUID(), role: 'CUSTOMER' };
    const reel = await product(10);
    const id = await place(me, reel.id, 2);
    const sub = await track(me, id);
    const completed = await sub.until((o) => o.status === 'COMPLETED');
    const seen = sub.results.map((r) => r.data.orderUpdated.status);
    const path = ['PENDING', 'STOCK_RESERVED', 'PAID', 'COMPLETED'];
    // The first event is the state at subscribe time; from there on, no status is skipped.
    expect(seen).toEqual(path.slice(path.indexOf(seen[0])));
    expect(seen).toContain('PAID');
    for (const r of sub.results)
      expect(r.data.orderUpdated.items).toEqual([{ quantity: 2, product: { name: reel.name } }]);
    expect(completed.workflow.map((w: any) => w.event)).toEqual([
      'PLACED',
      'STOCK_RESERVED',
      'PAYMENT_AUTHORIZED',
      'COMPLETED',
    ]);
    const times = completed.workflow.map((w: any) => Date.parse(w.at));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect(await stockOf(reel.id)).toBe(8);
  });

  it('refunds a payment taken while the customer cancelled, and gives the stock back', async () => {
    const me: Identity = { userId: randomUUID(), role: 'CUSTOMER' };
    const reel = await product(5);
    const payments = holdPayments();
    let id: string;
    let sub: Awaited<ReturnType<typeof track>>;
    let cancelled: any;
    try {
      id = await place(me, reel.id, 3);
      // The provider is answering (held by the test) when the customer cancels.
      await waitFor('the payment call', () => payments.orderIds.includes(id));
      sub = await track(me, id);
      expect(await stockOf(reel.id)).toBe(2);
      // The payment holds no lock on the order while the provider answers: the cancel commits
      // at once, and the authorization that follows is refunded.
      cancelled = await as(me, CANCEL, { id });
      payments.release();
    } finally {
      payments.release();
    }
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data.cancelOrder.status).toBe('CANCELLED');

    const refunded = await sub.until((o) =>
      o.workflow.some((w: any) => w.event === 'PAYMENT_REFUNDED'),
    );
    expect(refunded.status).toBe('CANCELLED');
    await sub.until((o) => o.workflow.some((w: any) => w.event === 'STOCK_RELEASED'));
    const { data } = await as(me, ORDER, { id });
    expect(data.order.cancelReason).toBe('changed my mind');
    const events = data.order.workflow.map((w: any) => w.event);
    // The saga's STOCK_RESERVED may take the row before or after the cancel; nothing else may.
    expect(events.filter((e: string) => e !== 'STOCK_RESERVED').slice(0, 2)).toEqual([
      'PLACED',
      'CANCELLED',
    ]);
    expect(events).not.toContain('PAYMENT_AUTHORIZED');
    expect(events.filter((e: string) => e === 'PAYMENT_REFUNDED')).toHaveLength(1);
    expect(events.filter((e: string) => e === 'STOCK_RELEASED')).toHaveLength(1);
    // The whole payment comes back: 3 x 12.50 and US standard shipping for 750 g (7.99), no tax.
    expect(data.order.workflow.find((w: any) => w.event === 'PAYMENT_REFUNDED').detail).toMatch(
      /^45\.49 [A-Z]{3} refunded \(pay_/,
    );
    const payment = await orders.payment.findUniqueOrThrow({ where: { orderId: id } });
    expect(payment.status).toBe('refunded');
    expect(await stockOf(reel.id)).toBe(5);
  });

  it('refuses to cancel a completed order, and another customer cannot see or cancel it', async () => {
    const me: Identity = { userId: randomUUID(), role: 'CUSTOMER' };
    const reel = await product(3);
    const id = await place(me, reel.id, 1);
    const sub = await track(me, id);
    await sub.until((o) => o.status === 'COMPLETED');
    const late = await as(me, CANCEL, { id });
    expect(late.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const stranger: Identity = { userId: randomUUID(), role: 'CUSTOMER' };
    expect((await as(stranger, CANCEL, { id })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await as(stranger, ORDER, { id })).data.order).toBeNull();
    const payment = await orders.payment.findUniqueOrThrow({ where: { orderId: id } });
    expect(payment.status).toBe('authorized');
    expect(await stockOf(reel.id)).toBe(2);
  });
});
