/**
 * After the payment, on a whole running system of its own (subgraphs, relays, saga, carrier,
 * notifications, gateway, the stack's SMTP server): a registered shopper's order goes PLACED ->
 * ... -> COMPLETED -> PACKED -> SHIPPED -> DELIVERED with the simulated carrier (stopped and
 * started again mid-way, with the notifications worker), a subscriber sees every step in order,
 * and the inbox (read through maildev's own API) holds one email per step.
 * Then a return: asked for, approved, brought back by the carrier while the saga worker (payment
 * provider and stock) is stopped; once it is back, one refund of the right amount and one
 * restock, also when the ReturnReceived event is delivered a second time.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Identity } from '@shop/auth';
import { graphqlData, prepareCheckout, trackOrder } from '@shop/testing';
import { startSystem, type RunningSystem } from '../scripts/lib/system.ts';
import { mailTo, type InboxMail } from '../workers/notifications/test/mail-fixtures.ts';

const PORT_BASE = 5100;
/** The saga worker's metrics (its port is 4012 in the default layout). */
const SAGA_METRICS = `http://127.0.0.1:${4012 + PORT_BASE - 4000}/metrics`;

let system: RunningSystem;
let orderDb: pg.Pool;
let catalogDb: pg.Pool;
const clients: Client[] = [];

const TRACK = `subscription ($id: ID!) { orderUpdated(id: $id) {
  status fulfillment { status trackingNumber } returns { status } } }`;

beforeAll(async () => {
  system = await startSystem({
    prefix: 'shoptest_fulfil',
    portBase: PORT_BASE,
    env: {
      carrier: {
        CARRIER_PACK_DELAY_MS: '300',
        // Long enough to stop the carrier between PACKED and SHIPPED.
        CARRIER_SHIP_DELAY_MS: '2500',
        CARRIER_DELIVER_DELAY_MS: '300',
        CARRIER_RETURN_DELAY_MS: '300',
        CARRIER_POLL_MS: '50',
      },
    },
  });
  orderDb = new pg.Pool({ connectionString: system.dbUrl('order'), max: 2 });
  catalogDb = new pg.Pool({ connectionString: system.dbUrl('catalog'), max: 2 });
}, 240_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await orderDb?.end();
  await catalogDb?.end();
  await system?.close();
});

const inbox = () => system.stack.maildev.url;

async function as<T>(token: string, query: string, variables: Record<string, unknown> = {}) {
  return graphqlData<T>(system.gatewayUrl, query, variables, token);
}

/**
 * This system's storefront, which its emails link to. Other systems on the same broker (a
 * browser-test or worker-host system running beside this one) read the same topics and email
 * the same shopper too; their mail links to their own storefront and is not counted here.
 */
const SHOP_URL = `http://127.0.0.1:${3000 + PORT_BASE - 4000}`;

/** This system's mail to `address`. */
const mailOf = async (address: string) =>
  (await mailTo(inbox(), address)).filter((m) => m.text.includes(SHOP_URL));

/** Subjects of the shopper's mail, by what they announce. */
function kinds(mail: InboxMail[]): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const { subject } of mail) {
    const kind = /has been placed/.test(subject)
      ? 'placed'
      : /is confirmed/.test(subject)
        ? 'confirmed'
        : /has shipped/.test(subject)
          ? 'shipped'
          : /has been delivered/.test(subject)
            ? 'delivered'
            : /^Refund of/.test(subject)
              ? 'refunded'
              : subject;
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  return kinds;
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(url)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

const stockOf = async (productId: string) =>
  (
    await catalogDb.query<{ stock: number }>(`SELECT stock FROM products WHERE id = $1`, [
      productId,
    ])
  ).rows[0]!.stock;

describe('after the payment, on a whole system', () => {
  let shopper: Identity;
  let email: string;
  let token: string;
  let orderId: string;
  let productId: string;

  it('takes an order to DELIVERED with the carrier, live and with one email per step', async () => {
    email = `journey-${randomUUID().slice(0, 8)}@test.tackle.shop`;
    const { register } = await graphqlData<{
      register: { accessToken: string; user: { id: string } };
    }>(
      system.gatewayUrl,
      `mutation ($input: RegisterInput!) { register(input: $input) { accessToken user { id } } }`,
      { input: { email, password: 'correct horse battery', name: 'Journey Angler' } },
    );
    shopper = { userId: register.user.id, role: 'CUSTOMER' };
    token = register.accessToken;
    const { products } = await graphqlData<{ products: { edges: { node: { id: string } }[] } }>(
      system.gatewayUrl,
      `{ products(filter: { inStock: true }, first: 1) { edges { node { id } } } }`,
    );
    productId = products.edges[0]!.node.id;
    await as(token, `mutation ($p: ID!) { addToCart(productId: $p, quantity: 2) { itemCount } }`, {
      p: productId,
    });
    await prepareCheckout(
      { gatewayUrl: system.gatewayUrl, userDbUrl: system.dbUrl('user') },
      { userId: shopper.userId, token },
    );
    const { placeOrder } = await as<{ placeOrder: { id: string } }>(
      token,
      `mutation ($k: String!) { placeOrder(idempotencyKey: $k) { id } }`,
      { k: randomUUID() },
    );
    orderId = placeOrder.id;
    const watch = await trackOrder(system, shopper, orderId, TRACK);
    clients.push(watch.client);
    // The carrier and the mailer go down between two steps and come back: the schedule (a
    // table) and the inbox dedup carry on where they were, no step or email twice.
    await watch.until((u) => u.fulfillment.status === 'PACKED', 60_000);
    await Promise.all([system.stopService('carrier'), system.stopService('notifications')]);
    await Promise.all([system.startService('carrier'), system.startService('notifications')]);
    const delivered = await watch.until((u) => u.fulfillment.status === 'DELIVERED', 60_000);

    const steps = watch.updates().map((u) => `${u.status}/${u.fulfillment.status}`);
    const distinct = steps.filter((step, i) => step !== steps[i - 1]);
    const path = [
      'PENDING/UNFULFILLED',
      'STOCK_RESERVED/UNFULFILLED',
      'PAID/UNFULFILLED',
      'COMPLETED/UNFULFILLED',
      'COMPLETED/PACKED',
      'COMPLETED/SHIPPED',
      'COMPLETED/DELIVERED',
    ];
    // The first update is the state at subscribe time; from there on, in order. PAID and
    // COMPLETED may commit together (a payment that overtakes its stock reservation), so the
    // saga's steps may be fewer; every parcel step is there.
    expect(
      distinct.map((step) => path.indexOf(step)),
      JSON.stringify(steps),
    ).toEqual(distinct.map((step) => path.indexOf(step)).sort((a, b) => a - b));
    expect(
      distinct.every((step) => path.includes(step)),
      JSON.stringify(steps),
    ).toBe(true);
    expect(distinct.slice(-3)).toEqual([
      'COMPLETED/PACKED',
      'COMPLETED/SHIPPED',
      'COMPLETED/DELIVERED',
    ]);

    await expect
      .poll(async () => kinds(await mailOf(email)), { timeout: 30_000, interval: 250 })
      .toEqual({ placed: 1, confirmed: 1, shipped: 1, delivered: 1 });
    const shipped = (await mailOf(email)).find((m) => /has shipped/.test(m.subject))!;
    expect(shipped.text).toContain(delivered.fulfillment.trackingNumber);
    // The saga's part of the funnel (this order completed) and its step timings on /metrics.
    expect(await metric(SAGA_METRICS, 'orders_total')).toBeGreaterThanOrEqual(1);
    expect(await metric(SAGA_METRICS, 'saga_step_duration_seconds_count')).toBeGreaterThanOrEqual(
      3,
    );
  }, 90_000);

  it('refunds and restocks a return once, with the saga stopped on the way and its event delivered twice', async () => {
    const admin = await system.tokenFor({ userId: randomUUID(), role: 'ADMIN' });
    const stockBefore = await stockOf(productId);
    // The payment provider and the stock consumer are down while the parcel comes back.
    expect(await system.stopService('saga')).toBe(0);

    const { requestReturn } = await as<{
      requestReturn: { id: string; refund: { amount: string; currency: string } };
    }>(
      token,
      `mutation ($id: ID!, $lines: [ReturnLineInput!]!) {
        requestReturn(orderId: $id, lines: $lines, reason: "Too stiff for perch") {
          id refund { amount currency } } }`,
      { id: orderId, lines: [{ productId, quantity: 1 }] },
    );
    await as(admin, `mutation ($id: ID!) { approveReturn(id: $id) { status } }`, {
      id: requestReturn.id,
    });
    const returnStatus = () =>
      as<{ order: { returns: { status: string }[]; fulfillment: { status: string } } }>(
        token,
        `query ($id: ID!) { order(id: $id) { fulfillment { status } returns { status } } }`,
        { id: orderId },
      ).then((d) => `${d.order.fulfillment.status}/${d.order.returns[0]!.status}`);
    // The carrier brought it back; nothing refunds it while the saga worker is down.
    await expect.poll(returnStatus, { timeout: 30_000, interval: 200 }).toBe('RETURNED/RECEIVED');
    expect(await stockOf(productId)).toBe(stockBefore);

    await system.startService('saga');
    await expect.poll(returnStatus, { timeout: 30_000, interval: 200 }).toBe('RETURNED/REFUNDED');
    await expect.poll(() => stockOf(productId), { timeout: 10_000 }).toBe(stockBefore + 1);
    const refunds = () =>
      orderDb
        .query<{ amount: string; currency: string }>(
          `SELECT amount::text AS amount, currency FROM payment_refunds WHERE return_id = $1`,
          [requestReturn.id],
        )
        .then((r) => r.rows);
    expect(await refunds()).toEqual([requestReturn.refund]);

    // The relay publishes ReturnReceived again (as after a crash between publish and mark).
    const duplicatesBefore = await metric(SAGA_METRICS, 'saga_messages_duplicates_total');
    const { rowCount } = await orderDb.query(
      `UPDATE outbox_events SET status = 'pending', sent_at = NULL
        WHERE aggregate_id = $1 AND type = 'ReturnReceived'`,
      [orderId],
    );
    expect(rowCount).toBe(1);
    // Both the stock consumer and the payment provider see it again, and skip it.
    await expect
      .poll(() => metric(SAGA_METRICS, 'saga_messages_duplicates_total'), { timeout: 30_000 })
      .toBeGreaterThanOrEqual(duplicatesBefore + 2);
    expect(await refunds()).toEqual([requestReturn.refund]);
    expect(await stockOf(productId)).toBe(stockBefore + 1);
    // The restock was announced once (the gateway's response cache purges the product on it).
    const restocked = await catalogDb.query(
      `SELECT payload FROM outbox_events WHERE aggregate_id = $1 AND type = 'StockRestocked'`,
      [orderId],
    );
    expect(restocked.rows).toEqual([
      { payload: { returnId: requestReturn.id, orderId, items: [{ productId, quantity: 1 }] } },
    ]);
    const { rows } = await orderDb.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM outbox_events
        WHERE aggregate_id = $1 AND type = 'PaymentRefunded'`,
      [orderId],
    );
    expect(rows[0]!.n).toBe(1);
    // One email per step still, and one for the refund.
    await expect
      .poll(async () => kinds(await mailOf(email)), { timeout: 30_000, interval: 250 })
      .toEqual({ placed: 1, confirmed: 1, shipped: 1, delivered: 1, refunded: 1 });
    const refunded = (await mailOf(email)).find((m) => /^Refund of/.test(m.subject))!;
    expect(refunded.subject).toContain(requestReturn.refund.amount);
  }, 120_000);
});
