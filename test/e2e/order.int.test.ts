import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Identity } from '@shop/auth';
import type { Store } from '@shop/seed';
import {
  graphql,
  loadFixtureStore,
  prepareCheckout,
  startSupergraph,
  testEnv,
  withServiceDb,
  type RunningSupergraph,
} from '@shop/testing';

const env = testEnv(inject('stack'));
let supergraph: RunningSupergraph;
let store: Store;
let reel: string; // 40.00, stock 20
let hooks: string; // 2.35, stock 100

const ORDER_FIELDS = `id status cancelReason createdAt updatedAt
  total { amount currency }
  items { quantity productName unitPrice { amount currency } lineTotal { amount } product { id name } }
  workflow { step event detail at }`;
const ADD = `mutation ($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { itemCount } }`;
const PLACE = `mutation ($k: String!) { placeOrder(idempotencyKey: $k) { ${ORDER_FIELDS} } }`;
const CANCEL = `mutation ($id: ID!, $r: String) { cancelOrder(id: $id, reason: $r) { ${ORDER_FIELDS} } }`;
const ORDER = `query ($id: ID!) { order(id: $id) { ${ORDER_FIELDS} } }`;
const MY_ORDERS = `query ($first: Int, $after: String) { myOrders(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id status } } } }`;

const customer = (): Identity => ({ userId: randomUUID(), role: 'CUSTOMER' });
const admin: Identity = { userId: randomUUID(), role: 'ADMIN' };
const key = () => `order-${randomUUID()}`;
async function as(identity: Identity, query: string, variables: Record<string, unknown> = {}) {
  return graphql<any>(supergraph.gatewayUrl, query, variables, await supergraph.authAs(identity));
}
const codes = (res: { errors?: { extensions?: { code?: string } }[] }) =>
  res.errors?.map((e) => e.extensions?.code);

async function setProduct(id: string, changes: { price?: string; stock?: number }) {
  await withServiceDb(env, 'catalog', (db) =>
    db.query(
      'UPDATE products SET price = COALESCE($2::numeric, price), stock = COALESCE($3::int, stock) WHERE id = $1',
      [id, changes.price ?? null, changes.stock ?? null],
    ),
  );
}

/**
 * The cart changes (to the same lines): a new version of it, which may be ordered again. Without a
 * change a second order of the same cart is refused until the cart worker has emptied it.
 */
async function touchCart(me: Identity) {
  const res = await as(
    me,
    `mutation ($p: ID!) { updateCartItem(productId: $p, quantity: 10) { itemCount } }`,
    { p: hooks },
  );
  expect(res.errors).toBeUndefined();
}

/** A customer with 2 reels and 10 hooks in the cart (total 103.50). */
async function shopper(): Promise<Identity> {
  const me = customer();
  expect((await as(me, ADD, { p: reel, q: 2 })).errors).toBeUndefined();
  expect((await as(me, ADD, { p: hooks, q: 10 })).errors).toBeUndefined();
  await prepareCheckout(supergraph, { userId: me.userId, token: await supergraph.tokenFor(me) });
  return me;
}

beforeAll(async () => {
  store = await loadFixtureStore(env);
  [reel, hooks] = store.products.slice(0, 2).map((p) => p.id) as [string, string];
  await setProduct(reel, { price: '40.00', stock: 20 });
  await setProduct(hooks, { price: '2.35', stock: 100 });
  supergraph = await startSupergraph(env);
});
afterAll(async () => {
  await supergraph?.close();
});

describe('placeOrder', () => {
  it('turns the cart into a PENDING order with a price snapshot', async () => {
    const me = await shopper();
    const res = await as(me, PLACE, { k: key() });
    expect(res.errors).toBeUndefined();
    const order = res.data.placeOrder;
    expect(order.status).toBe('PENDING');
    expect(order.cancelReason).toBeNull();
    expect(order.total).toEqual({ amount: '103.50', currency: 'USD' });
    const byProduct = Object.fromEntries(order.items.map((i: any) => [i.product.id, i]));
    expect(byProduct[reel]).toEqual({
      quantity: 2,
      productName: store.products[0]!.name,
      unitPrice: { amount: '40.00', currency: 'USD' },
      lineTotal: { amount: '80.00' },
      product: { id: reel, name: store.products[0]!.name },
    });
    expect(byProduct[hooks].lineTotal.amount).toBe('23.50');
    expect(order.workflow).toEqual([
      expect.objectContaining({ step: 'ORDER', event: 'PLACED', at: order.createdAt }),
    ]);
    // The cart is left as it was (the OrderPlaced event empties it in the next issue).
    const cart = await as(me, '{ cart { itemCount } }');
    expect(cart.data.cart.itemCount).toBe(12);
  });

  it('returns the same order for the same key, and snapshots prices per order', async () => {
    const me = await shopper();
    const k = key();
    const first = (await as(me, PLACE, { k })).data.placeOrder;
    await setProduct(reel, { price: '45.00' });
    try {
      const again = (await as(me, PLACE, { k })).data.placeOrder;
      expect(again).toEqual(first); // same order, old prices kept
      await touchCart(me);
      const next = (await as(me, PLACE, { k: key() })).data.placeOrder;
      expect(next.id).not.toBe(first.id);
      expect(next.total.amount).toBe('113.50'); // 2 x 45.00 + 10 x 2.35
      // The first order's snapshot does not follow the catalog.
      const reread = (await as(me, ORDER, { id: first.id })).data.order;
      expect(reread.total.amount).toBe('103.50');
    } finally {
      await setProduct(reel, { price: '40.00' });
    }
  });

  it('creates exactly one order when the same key is sent concurrently', async () => {
    const me = await shopper();
    const k = key();
    const results = await Promise.all(Array.from({ length: 12 }, () => as(me, PLACE, { k })));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const ids = new Set(results.map((r) => r.data.placeOrder.id));
    expect(ids.size).toBe(1);
    const stored = await withServiceDb(env, 'order', (db) =>
      db.query(
        'SELECT count(*)::int AS n FROM orders WHERE user_id = $1 AND idempotency_key = $2',
        [me.userId, k],
      ),
    );
    expect(stored.rows[0].n).toBe(1);
    expect((await as(me, MY_ORDERS)).data.myOrders.totalCount).toBe(1);
  });

  it('refuses an empty cart and malformed keys with BAD_USER_INPUT', async () => {
    const me = customer();
    const empty = await as(me, PLACE, { k: key() });
    expect(codes(empty)).toEqual(['BAD_USER_INPUT']);
    expect(empty.errors![0]!.message).toMatch(/empty/);
    const full = await shopper();
    for (const k of [
      '',
      'short',
      'x'.repeat(129),
      'has spaces in it',
      'ключ-заказа-1',
      'a/b\\c?d=e',
    ])
      expect(codes(await as(full, PLACE, { k })), k.slice(0, 20)).toEqual(['BAD_USER_INPUT']);
    expect((await as(full, MY_ORDERS)).data.myOrders.totalCount).toBe(0);
  });

  it('refuses more units than the catalog has in stock now', async () => {
    const me = await shopper();
    await setProduct(reel, { stock: 1 });
    try {
      expect(codes(await as(me, PLACE, { k: key() }))).toEqual(['OUT_OF_STOCK']);
    } finally {
      await setProduct(reel, { stock: 20 });
    }
    expect((await as(me, MY_ORDERS)).data.myOrders.totalCount).toBe(0);
  });

  it('requires sign-in', async () => {
    expect(codes(await graphql(supergraph.gatewayUrl, PLACE, { k: key() }))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });
});

describe('reading and cancelling orders', () => {
  it('pages my orders newest first with cursors, never showing others', async () => {
    const me = await shopper();
    const placed: string[] = [];
    for (let i = 0; i < 3; i++) {
      placed.push((await as(me, PLACE, { k: key() })).data.placeOrder.id);
      await touchCart(me);
    }
    await as(await shopper(), PLACE, { k: key() }); // someone else's
    const page1 = (await as(me, MY_ORDERS, { first: 2 })).data.myOrders;
    expect(page1.totalCount).toBe(3);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await as(me, MY_ORDERS, { first: 2, after: page1.pageInfo.endCursor })).data
      .myOrders;
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const seen = [...page1.edges, ...page2.edges].map((e: any) => e.node.id);
    expect(seen).toEqual([...placed].reverse());
    for (const first of [0, -1, 101])
      expect(codes(await as(me, MY_ORDERS, { first }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await as(me, MY_ORDERS, { after: 'not-a-cursor' }))).toEqual(['BAD_USER_INPUT']);
  });

  it("hides other users' orders and lets admins read them", async () => {
    const owner = await shopper();
    const order = (await as(owner, PLACE, { k: key() })).data.placeOrder;
    const stranger = customer();
    expect((await as(stranger, ORDER, { id: order.id })).data.order).toBeNull();
    expect((await as(stranger, ORDER, { id: randomUUID() })).data.order).toBeNull();
    expect(codes(await as(stranger, ORDER, { id: 'not-an-id' }))).toEqual(['BAD_USER_INPUT']);
    expect((await as(admin, ORDER, { id: order.id })).data.order.id).toBe(order.id);
    expect((await as(owner, ORDER, { id: order.id })).data.order).toEqual(order);
    expect(codes(await graphql(supergraph.gatewayUrl, ORDER, { id: order.id }))).toEqual([
      'UNAUTHENTICATED',
    ]);
  });

  it('cancels a pending order once, with a reason and a workflow entry', async () => {
    const me = await shopper();
    const k = key();
    const order = (await as(me, PLACE, { k })).data.placeOrder;
    const res = await as(me, CANCEL, { id: order.id, r: 'Found it cheaper' });
    expect(res.errors).toBeUndefined();
    const cancelled = res.data.cancelOrder;
    expect(cancelled).toMatchObject({
      id: order.id,
      status: 'CANCELLED',
      cancelReason: 'Found it cheaper',
    });
    expect(cancelled.workflow.map((w: any) => `${w.step}:${w.event}`)).toEqual([
      'ORDER:PLACED',
      'ORDER:CANCELLED',
    ]);
    expect(cancelled.workflow[1].detail).toBe('Found it cheaper');
    expect(Date.parse(cancelled.updatedAt)).toBeGreaterThanOrEqual(Date.parse(order.updatedAt));

    const twice = await as(me, CANCEL, { id: order.id });
    expect(codes(twice)).toEqual(['CONFLICT']);
    // The same key still answers with that (now cancelled) order.
    const again = (await as(me, PLACE, { k })).data.placeOrder;
    expect(again).toMatchObject({ id: order.id, status: 'CANCELLED' });
  });

  it('refuses to cancel finished orders, unknown ids and bad input', async () => {
    const me = await shopper();
    const order = (await as(me, PLACE, { k: key() })).data.placeOrder;
    await withServiceDb(env, 'order', (db) =>
      db.query(`UPDATE orders SET status = 'COMPLETED' WHERE id = $1`, [order.id]),
    );
    expect(codes(await as(me, CANCEL, { id: order.id }))).toEqual(['CONFLICT']);
    expect(codes(await as(me, CANCEL, { id: randomUUID() }))).toEqual(['NOT_FOUND']);
    expect(codes(await as(me, CANCEL, { id: 'x'.repeat(5000) }))).toEqual(['BAD_USER_INPUT']);
    await touchCart(me);
    const other = (await as(me, PLACE, { k: key() })).data.placeOrder;
    expect(codes(await as(me, CANCEL, { id: other.id, r: 'x'.repeat(501) }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codes(await as(me, CANCEL, { id: other.id, r: '   ' }))).toEqual(['BAD_USER_INPUT']);
  });

  it("does not let a user cancel someone else's order; an admin may", async () => {
    const owner = await shopper();
    const order = (await as(owner, PLACE, { k: key() })).data.placeOrder;
    const stranger = customer();
    expect(codes(await as(stranger, CANCEL, { id: order.id }))).toEqual(['NOT_FOUND']);
    expect((await as(owner, ORDER, { id: order.id })).data.order.status).toBe('PENDING');
    const res = await as(admin, CANCEL, { id: order.id });
    expect(res.data.cancelOrder).toMatchObject({
      status: 'CANCELLED',
      cancelReason: 'Cancelled by an administrator',
    });
  });

  it('lets exactly one of several concurrent cancels win', async () => {
    const me = await shopper();
    const order = (await as(me, PLACE, { k: key() })).data.placeOrder;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => as(me, CANCEL, { id: order.id, r: `reason ${i}` })),
    );
    const ok = results.filter((r) => !r.errors);
    expect(ok).toHaveLength(1);
    expect(results.filter((r) => r.errors).map(codes)).toEqual(
      Array.from({ length: 5 }, () => ['CONFLICT']),
    );
    const final = (await as(me, ORDER, { id: order.id })).data.order;
    expect(final.workflow.filter((w: any) => w.event === 'CANCELLED')).toHaveLength(1);
  });
});
