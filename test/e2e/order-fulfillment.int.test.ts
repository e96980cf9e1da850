/**
 * Fulfilment by hand through the gateway: sellers of a product in the order and admins move the
 * parcel UNFULFILLED -> PACKED -> SHIPPED -> DELIVERED, each step written with its workflow entry
 * and outbox event in one transaction, and live tracking shows every step in order. The saga is
 * not what is tested here: orders are made COMPLETED in SQL.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Identity } from '@shop/auth';
import {
  graphql,
  loadFixtureStore,
  prepareCheckout,
  sellerWithProduct,
  startSupergraph,
  testEnv,
  type RunningSupergraph,
  trackOrder,
} from '@shop/testing';

const env = testEnv(inject('stack'));
let sg: RunningSupergraph;
let catalog: pg.Pool;
let orders: pg.Pool;
const clients: Client[] = [];

const FULFILLMENT = `status carrier trackingNumber estimatedDelivery events { status at detail actor }`;
const ORDER_FIELDS = `id status fulfillment { ${FULFILLMENT} } workflow { step event detail }
  shippingOption { estimatedDays { max } } items { product { name } }`;
const ADD = `mutation ($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { itemCount } }`;
const PLACE = `mutation ($k: String!) { placeOrder(idempotencyKey: $k) { id } }`;
const PACK = `mutation ($id: ID!) { markPacked(orderId: $id) { ${ORDER_FIELDS} } }`;
const SHIP = `mutation ($id: ID!, $c: String!, $t: String!) {
  markShipped(orderId: $id, carrier: $c, trackingNumber: $t) { ${ORDER_FIELDS} } }`;
const DELIVER = `mutation ($id: ID!) { markDelivered(orderId: $id) { ${ORDER_FIELDS} } }`;
const TRACK = `subscription ($id: ID!) { orderUpdated(id: $id) {
  status fulfillment { status carrier trackingNumber } items { product { name } } } }`;

const admin: Identity = { userId: randomUUID(), role: 'ADMIN' };
const sellerA: Identity = { userId: randomUUID(), role: 'SELLER' };
const sellerB: Identity = { userId: randomUUID(), role: 'SELLER' };
let productA: string;

type Res = { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
async function as(who: Identity, query: string, variables = {}): Promise<Res> {
  return graphql<any>(sg.gatewayUrl, query, variables, await sg.authAs(who));
}
const errorOf = (res: Res) => res.errors?.[0]?.extensions;

/** A customer's PENDING order of `productId` (placed through the gateway). */
async function place(productId: string): Promise<{ customer: Identity; id: string }> {
  const customer: Identity = { userId: randomUUID(), role: 'CUSTOMER' };
  expect((await as(customer, ADD, { p: productId, q: 1 })).errors).toBeUndefined();
  await prepareCheckout(sg, { userId: customer.userId, token: await sg.tokenFor(customer) });
  const res = await as(customer, PLACE, { k: `fulfil-${randomUUID()}` });
  expect(res.errors).toBeUndefined();
  return { customer, id: res.data.placeOrder.id };
}

/** As if the saga had run: the order is paid and confirmed. */
async function complete(orderId: string) {
  await orders.query(`UPDATE orders SET status = 'COMPLETED' WHERE id = $1`, [orderId]);
}

async function completedOrder() {
  const order = await place(productA);
  await complete(order.id);
  return order;
}

/** What the fulfilment steps of an order wrote: outbox events, workflow entries, log rows. */
async function written(orderId: string) {
  const outbox = await orders.query<{ type: string; topic: string; payload: any }>(
    `SELECT type, topic, payload FROM outbox_events
      WHERE aggregate_id = $1 AND type IN ('OrderPacked', 'OrderShipped', 'OrderDelivered')
      ORDER BY seq`,
    [orderId],
  );
  const workflow = await orders.query<{ event: string }>(
    `SELECT event FROM workflow_events WHERE order_id = $1 AND step = 'FULFILMENT' ORDER BY seq`,
    [orderId],
  );
  const log = await orders.query<{ status: string }>(
    `SELECT status::text FROM fulfillment_events WHERE order_id = $1 ORDER BY seq`,
    [orderId],
  );
  return {
    outbox: outbox.rows,
    workflow: workflow.rows.map((r) => r.event),
    log: log.rows.map((r) => r.status),
  };
}

async function track(who: Identity, id: string) {
  const watch = await trackOrder(sg, who, id, TRACK);
  clients.push(watch.client);
  return watch;
}

beforeAll(async () => {
  await loadFixtureStore(env);
  catalog = new pg.Pool({ connectionString: env.databaseUrl('catalog'), max: 2 });
  orders = new pg.Pool({ connectionString: env.databaseUrl('order'), max: 4 });
  sg = await startSupergraph(env);
  productA = await sellerWithProduct(catalog, sellerA, { label: 'Fulfil lure', price: '19.90' });
  await sellerWithProduct(catalog, sellerB, { label: 'Fulfil lure', price: '19.90' });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await sg?.close();
  await catalog?.end();
  await orders?.end();
});

describe('fulfilment by hand', () => {
  it('goes UNFULFILLED -> PACKED -> SHIPPED -> DELIVERED with a subscriber seeing each step', async () => {
    const { customer, id } = await completedOrder();
    const watch = await track(customer, id);
    await watch.until((u) => u.fulfillment.status === 'UNFULFILLED');

    const packed = await as(sellerA, PACK, { id });
    expect(packed.errors).toBeUndefined();
    expect(packed.data.markPacked.fulfillment).toMatchObject({
      status: 'PACKED',
      carrier: null,
      trackingNumber: null,
      estimatedDelivery: null,
      events: [{ status: 'PACKED', actor: 'SELLER', detail: 'Packed (by the seller)' }],
    });
    await watch.until((u) => u.fulfillment.status === 'PACKED');

    const shipped = await as(admin, SHIP, { id, c: '  UPS ', t: '1Z999AA10123456784' });
    expect(shipped.errors).toBeUndefined();
    const order = shipped.data.markShipped;
    const maxDays: number = order.shippingOption.estimatedDays.max;
    const today = new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000);
    const expected = new Date(today.getTime() + maxDays * 86_400_000).toISOString().slice(0, 10);
    expect(order.fulfillment).toMatchObject({
      status: 'SHIPPED',
      carrier: 'UPS',
      trackingNumber: '1Z999AA10123456784',
      estimatedDelivery: expected,
    });
    expect(order.fulfillment.events.map((e: any) => [e.status, e.actor])).toEqual([
      ['PACKED', 'SELLER'],
      ['SHIPPED', 'ADMIN'],
    ]);

    const delivered = await as(sellerA, DELIVER, { id });
    expect(delivered.errors).toBeUndefined();
    expect(delivered.data.markDelivered.status).toBe('COMPLETED');
    expect(delivered.data.markDelivered.fulfillment.status).toBe('DELIVERED');
    expect(
      delivered.data.markDelivered.workflow
        .filter((w: any) => w.step === 'FULFILMENT')
        .map((w: any) => w.event),
    ).toEqual(['PACKED', 'SHIPPED', 'DELIVERED']);

    await watch.until((u) => u.fulfillment.status === 'DELIVERED');
    const seen = watch.updates();
    expect(seen.map((u) => u.fulfillment.status)).toEqual([
      'UNFULFILLED',
      'PACKED',
      'SHIPPED',
      'DELIVERED',
    ]);
    expect(seen.every((u) => u.status === 'COMPLETED' && u.items[0].product.name)).toBe(true);
    expect(seen[2].fulfillment).toMatchObject({
      carrier: 'UPS',
      trackingNumber: '1Z999AA10123456784',
    });

    const { outbox, workflow, log } = await written(id);
    expect(workflow).toEqual(['PACKED', 'SHIPPED', 'DELIVERED']);
    expect(log).toEqual(['PACKED', 'SHIPPED', 'DELIVERED']);
    expect(outbox.map((e) => [e.type, e.topic])).toEqual([
      ['OrderPacked', 'orders'],
      ['OrderShipped', 'orders'],
      ['OrderDelivered', 'orders'],
    ]);
    expect(outbox[0]!.payload).toEqual({ orderId: id, userId: customer.userId, by: 'SELLER' });
    expect(outbox[1]!.payload).toEqual({
      orderId: id,
      userId: customer.userId,
      by: 'ADMIN',
      carrier: 'UPS',
      trackingNumber: '1Z999AA10123456784',
      estimatedDelivery: expected,
    });
    expect(outbox[2]!.payload).toEqual({ orderId: id, userId: customer.userId, by: 'SELLER' });
  });

  it('refuses steps before the order is COMPLETED, writing nothing', async () => {
    const { id } = await place(productA);
    const res = await as(admin, PACK, { id });
    expect(errorOf(res)).toMatchObject({
      code: 'CONFLICT',
      status: 'PENDING',
      fulfillmentStatus: 'UNFULFILLED',
    });
    expect(await written(id)).toEqual({ outbox: [], workflow: [], log: [] });
  });

  it('refuses steps out of order with CONFLICT and the current status, writing nothing', async () => {
    const { id } = await completedOrder();
    for (const [query, vars] of [
      [SHIP, { c: 'UPS', t: '1Z1' }],
      [DELIVER, {}],
    ] as const) {
      const res = await as(admin, query, { id, ...vars });
      expect(errorOf(res)).toMatchObject({ code: 'CONFLICT', fulfillmentStatus: 'UNFULFILLED' });
    }
    expect(await written(id)).toEqual({ outbox: [], workflow: [], log: [] });

    expect((await as(admin, PACK, { id })).errors).toBeUndefined();
    const early = await as(admin, DELIVER, { id });
    expect(errorOf(early)).toMatchObject({ code: 'CONFLICT', fulfillmentStatus: 'PACKED' });
    // The same step again is a harmless repeat: the order as it is, nothing written.
    const again = await as(sellerA, PACK, { id });
    expect(again.errors).toBeUndefined();
    expect(again.data.markPacked.fulfillment.events).toHaveLength(1);
    expect((await written(id)).workflow).toEqual(['PACKED']);
    expect((await written(id)).outbox).toHaveLength(1);
  });

  it('lets no customer act, and a seller only on orders holding their products', async () => {
    const { customer, id } = await completedOrder();
    expect(errorOf(await as(customer, PACK, { id }))?.code).toBe('FORBIDDEN');
    // Another seller's order is not among theirs: answered like a missing one.
    expect(errorOf(await as(sellerB, PACK, { id }))?.code).toBe('NOT_FOUND');
    expect(errorOf(await as(admin, PACK, { id: randomUUID() }))?.code).toBe('NOT_FOUND');
    expect(await written(id)).toEqual({ outbox: [], workflow: [], log: [] });
    expect((await as(sellerA, PACK, { id })).data.markPacked.fulfillment.status).toBe('PACKED');
  });

  it('refuses a bad carrier or tracking number naming the field', async () => {
    const { id } = await completedOrder();
    expect((await as(admin, PACK, { id })).errors).toBeUndefined();
    for (const [c, t, field] of [
      ['  ', '1Z1', 'carrier'],
      ['x'.repeat(101), '1Z1', 'carrier'],
      ['UPS', '', 'trackingNumber'],
      ['UPS', '1'.repeat(65), 'trackingNumber'],
      ['UPS', '1Z\u00071', 'trackingNumber'],
    ])
      expect(errorOf(await as(admin, SHIP, { id, c, t }))).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
      });
    expect((await written(id)).workflow).toEqual(['PACKED']);
  });

  it('lets exactly one of concurrent steps move the parcel', async () => {
    const { id } = await completedOrder();
    const packs = await Promise.all([as(admin, PACK, { id }), as(sellerA, PACK, { id })]);
    // Both answer PACKED (the second waited for the row lock and found a repeat); one wrote.
    expect(packs.map((r) => r.data?.markPacked.fulfillment.status)).toEqual(['PACKED', 'PACKED']);
    expect((await written(id)).outbox.map((e) => e.type)).toEqual(['OrderPacked']);

    const ships = await Promise.all(
      ['1Z-A', '1Z-B'].map((t) => as(admin, SHIP, { id, c: 'DHL', t })),
    );
    const won = ships.filter((r) => !r.errors);
    const lost = ships.filter((r) => r.errors);
    expect(won).toHaveLength(1);
    expect(lost.map(errorOf)).toMatchObject([{ code: 'CONFLICT', fulfillmentStatus: 'SHIPPED' }]);
    const { outbox, workflow } = await written(id);
    expect(workflow).toEqual(['PACKED', 'SHIPPED']);
    expect(outbox.map((e) => e.type)).toEqual(['OrderPacked', 'OrderShipped']);
    expect(outbox[1]!.payload.trackingNumber).toBe(
      won[0]!.data.markShipped.fulfillment.trackingNumber,
    );
  });
});

const RETURN_FIELDS = `id status reason rejectionReason refund { amount currency }
  lines { product { id } productName quantity refund { amount } }`;
const REQUEST_RETURN = `mutation ($id: ID!, $lines: [ReturnLineInput!]!, $reason: String!) {
  requestReturn(orderId: $id, lines: $lines, reason: $reason) { ${RETURN_FIELDS} } }`;
const APPROVE = `mutation ($id: ID!) { approveReturn(id: $id) { ${RETURN_FIELDS} } }`;
const REJECT = `mutation ($id: ID!, $r: String!) { rejectReturn(id: $id, reason: $r) { ${RETURN_FIELDS} } }`;
const RECEIVE = `mutation ($id: ID!) { markReturnReceived(id: $id) { ${RETURN_FIELDS} } }`;
const MONEY = `query ($id: ID!) { order(id: $id) { total { amount }
  items { quantity lineTotal { amount } discount { amount } tax { amount } }
  totals { shipping { amount } tax { amount } } } }`;
const TRACK_RETURNS = `subscription ($id: ID!) { orderUpdated(id: $id) {
  fulfillment { status } returns { status refund { amount } } } }`;

const cents = (amount: string) => Math.round(Number(amount) * 100);
const amount = (c: number) => (c / 100).toFixed(2);

/** A delivered order of `quantity` units of product A (moved by hand by an admin). */
async function deliveredOrder(quantity = 2) {
  const customer: Identity = { userId: randomUUID(), role: 'CUSTOMER' };
  expect((await as(customer, ADD, { p: productA, q: quantity })).errors).toBeUndefined();
  await prepareCheckout(sg, { userId: customer.userId, token: await sg.tokenFor(customer) });
  const placed = await as(customer, PLACE, { k: `return-${randomUUID()}` });
  const id: string = placed.data.placeOrder.id;
  await complete(id);
  for (const [query, vars] of [
    [PACK, {}],
    [SHIP, { c: 'UPS', t: `1Z${id.slice(0, 8)}` }],
    [DELIVER, {}],
  ] as const)
    expect((await as(admin, query, { id, ...vars })).errors).toBeUndefined();
  return { customer, id };
}

/** What returns wrote for an order: return rows and return events in the outbox. */
async function returnsWritten(orderId: string) {
  const rows = await orders.query<{ status: string }>(
    `SELECT status::text AS status FROM returns WHERE order_id = $1 ORDER BY created_at`,
    [orderId],
  );
  const outbox = await orders.query<{ type: string; payload: any }>(
    `SELECT type, payload FROM outbox_events
      WHERE aggregate_id = $1 AND type LIKE 'Return%' ORDER BY seq`,
    [orderId],
  );
  return { returns: rows.rows.map((r) => r.status), outbox: outbox.rows };
}

describe('returns', () => {
  it('refunds a line by its share of what was paid, and the whole order with its shipping', async () => {
    const { customer, id } = await deliveredOrder(2);
    const money = (await as(customer, MONEY, { id })).data.order;
    const line = money.items[0];
    // The line paid its price after discount plus its tax (the test store prices net).
    const linePaid =
      cents(line.lineTotal.amount) - cents(line.discount.amount) + cents(line.tax.amount);
    const watch = await trackOrder(sg, customer, id, TRACK_RETURNS);
    clients.push(watch.client);
    await watch.until((u) => u.fulfillment.status === 'DELIVERED');

    const one = await as(customer, REQUEST_RETURN, {
      id,
      lines: [{ productId: productA, quantity: 1 }],
      reason: '  Reel handle wobbles  ',
    });
    expect(one.errors).toBeUndefined();
    const first = one.data.requestReturn;
    expect(first).toMatchObject({
      status: 'REQUESTED',
      reason: 'Reel handle wobbles',
      lines: [{ product: { id: productA }, quantity: 1 }],
    });
    // Half of the line, rounded half to even (no shipping: the order is not all coming back).
    // Half of the line, rounded half to even (no shipping: the order is not all coming back).
    const floor = Math.floor(linePaid / 2);
    const half = linePaid % 2 === 1 && floor % 2 === 1 ? floor + 1 : floor;
    expect(first.refund.amount).toBe(amount(half));
    await watch.until((u) => u.fulfillment.status === 'RETURN_REQUESTED');

    const rejected = await as(sellerA, REJECT, { id: first.id, r: 'Used on salt water' });
    expect(rejected.errors).toBeUndefined();
    expect(rejected.data.rejectReturn).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'Used on salt water',
      refund: null,
    });
    await watch.until(
      (u) => u.fulfillment.status === 'DELIVERED' && u.returns[0]?.status === 'REJECTED',
    );

    const all = await as(customer, REQUEST_RETURN, {
      id,
      lines: [{ productId: productA, quantity: 2 }],
      reason: 'Changed my mind',
    });
    expect(all.errors).toBeUndefined();
    // Every unit comes back: exactly what was paid, shipping and its tax included.
    expect(all.data.requestReturn.refund.amount).toBe(money.total.amount);
    const second = all.data.requestReturn.id;
    expect((await as(admin, APPROVE, { id: second })).data.approveReturn.status).toBe('APPROVED');
    // Approving again changes nothing.
    expect((await as(sellerA, APPROVE, { id: second })).data.approveReturn.status).toBe('APPROVED');
    const received = await as(sellerA, RECEIVE, { id: second });
    expect(received.data.markReturnReceived.status).toBe('RECEIVED');
    expect((await as(admin, RECEIVE, { id: second })).data.markReturnReceived.status).toBe(
      'RECEIVED',
    );
    await watch.until((u) => u.fulfillment.status === 'RETURNED');
    // Every step in order (an approval changes the return, not the parcel: the same status).
    const statuses = watch.updates().map((u) => u.fulfillment.status);
    expect(statuses.filter((status, i) => status !== statuses[i - 1])).toEqual([
      'DELIVERED',
      'RETURN_REQUESTED',
      'DELIVERED',
      'RETURN_REQUESTED',
      'RETURNED',
    ]);
    expect(watch.updates().some((u) => u.returns[1]?.status === 'APPROVED')).toBe(true);

    const { returns, outbox } = await returnsWritten(id);
    expect(returns).toEqual(['REJECTED', 'RECEIVED']);
    expect(outbox.map((e) => e.type)).toEqual([
      'ReturnRequested',
      'ReturnRejected',
      'ReturnRequested',
      'ReturnApproved',
      'ReturnReceived',
    ]);
    expect(outbox[4]!.payload).toMatchObject({
      returnId: second,
      orderId: id,
      userId: customer.userId,
      by: 'SELLER',
      lines: [{ productId: productA, quantity: 2, refund: { amount: amount(linePaid) } }],
      refund: { amount: money.total.amount },
    });
    // The returned order cannot be returned again.
    const again = await as(customer, REQUEST_RETURN, {
      id,
      lines: [{ productId: productA, quantity: 1 }],
      reason: 'again',
    });
    expect(errorOf(again)).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_RETURNED' });
  });

  it('refuses a return out of order, out of its window, beyond what was bought or of another customer, writing nothing', async () => {
    const early = await completedOrder();
    const req = (who: Identity, id: string, lines: unknown, reason = 'broken') =>
      as(who, REQUEST_RETURN, { id, lines, reason });
    const unit = [{ productId: productA, quantity: 1 }];
    expect(errorOf(await req(early.customer, early.id, unit))).toMatchObject({
      code: 'CONFLICT',
      reason: 'NOT_DELIVERED',
    });
    expect(await returnsWritten(early.id)).toEqual({ returns: [], outbox: [] });

    const { customer, id } = await deliveredOrder(2);
    const stranger: Identity = { userId: randomUUID(), role: 'CUSTOMER' };
    expect(errorOf(await req(stranger, id, unit))?.code).toBe('NOT_FOUND');
    expect(errorOf(await req(customer, id, [{ productId: productA, quantity: 3 }]))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'lines.0.quantity',
    });
    expect(errorOf(await req(customer, id, [{ productId: productA, quantity: 0 }]))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'lines.0.quantity',
    });
    expect(
      errorOf(await req(customer, id, [{ productId: randomUUID(), quantity: 1 }])),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lines.0.productId' });
    expect(errorOf(await req(customer, id, []))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'lines',
    });
    expect(errorOf(await req(customer, id, unit, '   '))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'reason',
    });
    expect(errorOf(await req(customer, id, unit, 'x'.repeat(501)))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'reason',
    });
    // Delivered 31 days ago: the 30-day window has closed.
    await orders.query(
      `UPDATE orders SET delivered_at = now() - interval '31 days' WHERE id = $1`,
      [id],
    );
    expect(errorOf(await req(customer, id, unit))).toMatchObject({
      code: 'CONFLICT',
      reason: 'WINDOW_CLOSED',
    });
    expect(await returnsWritten(id)).toEqual({ returns: [], outbox: [] });
    expect((await written(id)).log).toEqual(['PACKED', 'SHIPPED', 'DELIVERED']);

    // Within the window again: one open return at a time.
    await orders.query(`UPDATE orders SET delivered_at = now() WHERE id = $1`, [id]);
    const opened = await req(customer, id, unit);
    expect(opened.errors).toBeUndefined();
    expect(errorOf(await req(customer, id, unit))).toMatchObject({
      code: 'CONFLICT',
      reason: 'RETURN_OPEN',
    });
    const returnId = opened.data.requestReturn.id;
    // Deciding: never the customer, never a seller of other products, never out of order.
    expect(errorOf(await as(customer, APPROVE, { id: returnId }))?.code).toBe('FORBIDDEN');
    expect(errorOf(await as(sellerB, APPROVE, { id: returnId }))?.code).toBe('NOT_FOUND');
    expect(errorOf(await as(admin, RECEIVE, { id: returnId }))).toMatchObject({
      code: 'CONFLICT',
      returnStatus: 'REQUESTED',
    });
    expect(errorOf(await as(admin, APPROVE, { id: randomUUID() }))?.code).toBe('NOT_FOUND');
    expect(errorOf(await as(admin, REJECT, { id: returnId, r: '' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'reason',
    });
    expect((await returnsWritten(id)).outbox.map((e) => e.type)).toEqual(['ReturnRequested']);
    expect((await returnsWritten(id)).returns).toEqual(['REQUESTED']);
  });
});
