/**
 * Order management through the gateway: `orders(filter, first, after)` lists every order to
 * admins and, to a seller, the orders holding their products with only their own lines. The
 * database is shared with other tests, so every assertion looks only at this file's orders:
 * those of fresh customers (by e-mail) or inside a time window no other order falls in (the
 * orders are moved into it in SQL, as their statuses are).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
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
} from '@shop/testing';

const env = testEnv(inject('stack'));
let sg: RunningSupergraph;
let catalog: pg.Pool;
let orders: pg.Pool;

const ORDERS = `query ($filter: OrderFilter, $first: Int, $after: String) {
  orders(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id status createdAt fulfillment { status }
      items { quantity product { id name } } } }
  } }`;
const ADD = `mutation ($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { itemCount } }`;
const SET = `mutation ($p: ID!, $q: Int!) { updateCartItem(productId: $p, quantity: $q) { itemCount } }`;
const REMOVE = `mutation ($p: ID!) { removeFromCart(productId: $p) { itemCount } }`;
const PLACE = `mutation ($k: String!) { placeOrder(idempotencyKey: $k) { id } }`;

const admin: Identity = { userId: randomUUID(), role: 'ADMIN' };
const sellerA: Identity = { userId: randomUUID(), role: 'SELLER' };
const sellerB: Identity = { userId: randomUUID(), role: 'SELLER' };
const productless: Identity = { userId: randomUUID(), role: 'SELLER' };
let productA: string;
let productB: string;

/**
 * A time window of this run, far in the past where no real order is: a random second of
 * 2001..2010, so runs (and other tests) do not meet in it.
 */
const BASE = Date.UTC(2001, 0, 1) + Math.floor(Math.random() * 9 * 365 * 86_400) * 1000;
const at = (seconds: number) => new Date(BASE + seconds * 1000).toISOString();

type Res = { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
async function as(who: Identity | null, query: string, variables = {}): Promise<Res> {
  return graphql<any>(sg.gatewayUrl, query, variables, who ? await sg.authAs(who) : {});
}
const errorOf = (res: Res) => res.errors?.[0]?.extensions;

async function list(who: Identity, variables: Record<string, unknown>) {
  const res = await as(who, ORDERS, variables);
  expect(res.errors).toBeUndefined();
  return res.data.orders as {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: any }[];
  };
}
const idsOf = (page: { edges: { node: { id: string } }[] }) => page.edges.map((e) => e.node.id);

/**
 * A fresh customer with a cart ready for checkout, and an account (prepareCheckout writes it)
 * whose e-mail address is known.
 */
async function customer(firstProduct: string) {
  const who: Identity = { userId: randomUUID(), role: 'CUSTOMER' };
  expect((await as(who, ADD, { p: firstProduct, q: 1 })).errors).toBeUndefined();
  await prepareCheckout(sg, { userId: who.userId, token: await sg.tokenFor(who) });
  return { who, email: `shopper-${who.userId}@test.tackle.shop` };
}

/** Places the customer's cart as it is now (a cart's content is ordered once). */
async function place(who: Identity): Promise<string> {
  const res = await as(who, PLACE, { k: `manage-${randomUUID()}` });
  expect(res.errors).toBeUndefined();
  return res.data.placeOrder.id;
}

/** Moves an order into this run's window with the statuses a test needs. */
async function setOrder(
  id: string,
  seconds: number,
  status = 'PENDING',
  fulfillmentStatus = 'UNFULFILLED',
) {
  await orders.query(
    `UPDATE orders SET created_at = $2, status = $3::"OrderStatus",
            fulfillment_status = $4::"FulfillmentStatus" WHERE id = $1`,
    [id, at(seconds), status, fulfillmentStatus],
  );
}

/** Every page of a list, `first` at a time, checking each page's totalCount on the way. */
async function allPages(who: Identity, filter: Record<string, unknown>, first: number) {
  const pages: string[][] = [];
  let after: string | null = null;
  for (;;) {
    const page = await list(who, { filter, first, after });
    pages.push(idsOf(page));
    expect(page.edges.length).toBeLessThanOrEqual(first);
    if (!page.pageInfo.hasNextPage) return { pages, totalCount: page.totalCount };
    expect(page.edges).toHaveLength(first);
    expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
    after = page.pageInfo.endCursor;
    if (pages.length > 10) throw new Error('the list does not end');
  }
}

// One customer with three orders: A only (o1), A and B (o2, mixed), B only (o3).
let shopper: { who: Identity; email: string };
let o1: string;
let o2: string;
let o3: string;

beforeAll(async () => {
  await loadFixtureStore(env);
  catalog = new pg.Pool({ connectionString: env.databaseUrl('catalog'), max: 2 });
  orders = new pg.Pool({ connectionString: env.databaseUrl('order'), max: 2 });
  sg = await startSupergraph(env);
  productA = await sellerWithProduct(catalog, sellerA, { label: 'Manage A', price: '12.50' });
  productB = await sellerWithProduct(catalog, sellerB, { label: 'Manage B', price: '12.50' });

  shopper = await customer(productA);
  o1 = await place(shopper.who);
  expect((await as(shopper.who, ADD, { p: productB, q: 2 })).errors).toBeUndefined();
  o2 = await place(shopper.who);
  expect((await as(shopper.who, REMOVE, { p: productA })).errors).toBeUndefined();
  o3 = await place(shopper.who);
  // Terminal statuses: a saga running for another test could not move these orders.
  await setOrder(o1, 1, 'COMPLETED', 'SHIPPED');
  await setOrder(o2, 2, 'CANCELLED');
  await setOrder(o3, 3, 'COMPLETED', 'DELIVERED');
});
afterAll(async () => {
  await sg?.close();
  await catalog?.end();
  await orders?.end();
});

describe('orders for admins', () => {
  it("finds a customer's orders by e-mail in any case, newest first, with every line", async () => {
    const page = await list(admin, {
      filter: { customerEmail: `  ${shopper.email.toUpperCase()} ` },
    });
    expect(page.totalCount).toBe(3);
    expect(idsOf(page)).toEqual([o3, o2, o1]);
    expect(page.pageInfo.hasNextPage).toBe(false);
    const mixed = page.edges[1]!.node;
    expect(mixed.items.map((i: any) => [i.product.id, i.quantity]).sort()).toEqual(
      [
        [productA, 1],
        [productB, 2],
      ].sort(),
    );
    expect(mixed.items.every((i: any) => i.product.name.startsWith('Manage '))).toBe(true);
  });

  it('answers an unknown e-mail address with an empty list', async () => {
    const page = await list(admin, { filter: { customerEmail: `nobody-${randomUUID()}@x.test` } });
    expect(page).toEqual({
      totalCount: 0,
      pageInfo: { hasNextPage: false, endCursor: null },
      edges: [],
    });
  });

  it('filters by payment status', async () => {
    const completed = await list(admin, {
      filter: { customerEmail: shopper.email, status: 'COMPLETED' },
    });
    expect(idsOf(completed)).toEqual([o3, o1]);
    expect(completed.totalCount).toBe(2);
    expect(completed.edges.every((e) => e.node.status === 'COMPLETED')).toBe(true);
    const cancelled = await list(admin, {
      filter: { customerEmail: shopper.email, status: 'CANCELLED' },
    });
    expect(idsOf(cancelled)).toEqual([o2]);
    const pending = await list(admin, {
      filter: { customerEmail: shopper.email, status: 'PENDING' },
    });
    expect(pending.totalCount).toBe(0);
  });

  it('filters by fulfilment status', async () => {
    const shipped = await list(admin, {
      filter: { customerEmail: shopper.email, fulfillmentStatus: 'SHIPPED' },
    });
    expect(idsOf(shipped)).toEqual([o1]);
    expect(shipped.edges[0]!.node.fulfillment.status).toBe('SHIPPED');
    const delivered = await list(admin, {
      filter: { createdFrom: at(0), createdTo: at(4), fulfillmentStatus: 'DELIVERED' },
    });
    expect(idsOf(delivered)).toEqual([o3]);
    const both = await list(admin, {
      filter: {
        createdFrom: at(0),
        createdTo: at(4),
        status: 'COMPLETED',
        fulfillmentStatus: 'UNFULFILLED',
      },
    });
    expect(both.totalCount).toBe(0);
  });

  it('filters by a date range: from inclusive, to exclusive, in any zone', async () => {
    const window = await list(admin, { filter: { createdFrom: at(0), createdTo: at(4) } });
    expect(idsOf(window)).toEqual([o3, o2, o1]);
    expect(window.edges.map((e) => e.node.createdAt)).toEqual([at(3), at(2), at(1)]);
    const middle = await list(admin, { filter: { createdFrom: at(2), createdTo: at(3) } });
    expect(idsOf(middle)).toEqual([o2]);
    expect(middle.totalCount).toBe(1);
    // The same instant written with an offset.
    const shifted = new Date(BASE + 1500).toISOString().replace('Z', '+00:00');
    const late = await list(admin, { filter: { createdFrom: shifted, createdTo: at(4) } });
    expect(idsOf(late)).toEqual([o3, o2]);
    // One bound alone (narrowed to this customer: every real order is newer than the window).
    const customerEmail = shopper.email;
    expect(idsOf(await list(admin, { filter: { customerEmail, createdFrom: at(2) } }))).toEqual([
      o3,
      o2,
    ]);
    expect(idsOf(await list(admin, { filter: { customerEmail, createdTo: at(2) } }))).toEqual([o1]);
  });

  it('refuses a malformed filter with BAD_USER_INPUT naming the field, and bad paging', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ filter: { createdFrom: 'yesterday' } }, 'createdFrom'],
      [{ filter: { createdTo: '2026-02-30' } }, 'createdTo'],
      [{ filter: { createdFrom: '2026-03-01T10:00:00' } }, 'createdFrom'],
      [{ filter: { createdFrom: at(3), createdTo: at(1) } }, 'createdTo'],
      [{ filter: { customerEmail: 'not-an-address' } }, 'customerEmail'],
      [{ after: 'not-a-cursor' }, 'after'],
      [{ after: Buffer.from(JSON.stringify([at(1), 'x'])).toString('base64url') }, 'after'],
    ];
    for (const [variables, field] of cases) {
      const res = await as(admin, ORDERS, variables);
      expect(res.data ?? null, JSON.stringify(variables)).toBeNull();
      expect(errorOf(res), JSON.stringify(variables)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
      });
      expect(res.errors![0]!.message).toMatch(new RegExp(field));
    }
    // A page size the service refuses (a light selection: the gateway's cost limit would
    // refuse 101 full orders first).
    for (const first of [0, 101]) {
      const res = await as(admin, `query ($first: Int) { orders(first: $first) { totalCount } }`, {
        first,
      });
      expect(errorOf(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    }
  });
});

describe('orders for sellers', () => {
  it('lists only the orders holding their products, with only their own lines', async () => {
    const window = { createdFrom: at(0), createdTo: at(4) };
    const forA = await list(sellerA, { filter: window });
    expect(idsOf(forA)).toEqual([o2, o1]);
    expect(forA.totalCount).toBe(2);
    const forB = await list(sellerB, { filter: window });
    expect(idsOf(forB)).toEqual([o3, o2]);
    expect(forB.totalCount).toBe(2);
    const lines = (page: typeof forA, id: string) =>
      page.edges
        .find((e) => e.node.id === id)!
        .node.items.map((i: any) => [i.product.id, i.quantity]);
    // The mixed order: each seller sees their own line of it and nothing of the other's.
    expect(lines(forA, o2)).toEqual([[productA, 1]]);
    expect(lines(forB, o2)).toEqual([[productB, 2]]);
    expect(lines(forA, o1)).toEqual([[productA, 1]]);
    expect(lines(forB, o3)).toEqual([[productB, 2]]);
  });

  it('applies the filters to their orders too', async () => {
    const filter = { createdFrom: at(0), createdTo: at(4), status: 'COMPLETED' };
    expect(idsOf(await list(sellerA, { filter }))).toEqual([o1]);
    expect(
      idsOf(await list(sellerB, { filter: { ...filter, fulfillmentStatus: 'DELIVERED' } })),
    ).toEqual([o3]);
  });

  it('answers a seller acting on a mixed order with their own lines only', async () => {
    const mixed = await customer(productA);
    expect((await as(mixed.who, ADD, { p: productB, q: 2 })).errors).toBeUndefined();
    const id = await place(mixed.who);
    // Outside the window the other tests list.
    await setOrder(id, 200, 'COMPLETED');
    const res = await as(
      sellerA,
      `mutation ($id: ID!) { markPacked(orderId: $id) { fulfillment { status }
        items { product { id } quantity } } }`,
      { id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.markPacked.fulfillment.status).toBe('PACKED');
    expect(res.data.markPacked.items).toEqual([{ product: { id: productA }, quantity: 1 }]);
    // The admin and the customer still see both lines.
    const all = await as(mixed.who, `query ($id: ID!) { order(id: $id) { items { quantity } } }`, {
      id,
    });
    expect(all.data.order.items).toHaveLength(2);
  });

  it('answers a seller without products with an empty list', async () => {
    const page = await list(productless, { filter: { createdFrom: at(0), createdTo: at(4) } });
    expect(page.totalCount).toBe(0);
    expect(page.edges).toEqual([]);
  });

  it('keeps e-mail addresses to admins: a seller filtering by one is FORBIDDEN', async () => {
    const res = await as(sellerA, ORDERS, { filter: { customerEmail: shopper.email } });
    expect(res.data ?? null).toBeNull();
    expect(errorOf(res)).toMatchObject({ code: 'FORBIDDEN', field: 'customerEmail' });
  });
});

describe('orders for everyone else', () => {
  it('is FORBIDDEN to a customer, even to the owner of the orders', async () => {
    for (const who of [shopper.who, { userId: randomUUID(), role: 'CUSTOMER' as const }]) {
      const res = await as(who, ORDERS, { filter: { createdFrom: at(0), createdTo: at(4) } });
      expect(res.data ?? null).toBeNull();
      expect(errorOf(res)?.code).toBe('FORBIDDEN');
    }
  });

  it('is UNAUTHENTICATED without a token', async () => {
    const res = await as(null, ORDERS, {});
    expect(res.data ?? null).toBeNull();
    expect(errorOf(res)?.code).toBe('UNAUTHENTICATED');
  });
});

describe('pagination', () => {
  // Five orders of one customer, two pairs of them placed in the same millisecond: the cursor
  // breaks ties on id, so no order is skipped or repeated between pages.
  let placed: string[];
  let buyer: { who: Identity; email: string };
  beforeAll(async () => {
    buyer = await customer(productA);
    placed = [];
    for (let quantity = 1; quantity <= 5; quantity++) {
      if (quantity > 1)
        expect((await as(buyer.who, SET, { p: productA, q: quantity })).errors).toBeUndefined();
      placed.push(await place(buyer.who));
    }
    const seconds = [100, 100, 101, 102, 102];
    for (const [i, id] of placed.entries()) await setOrder(id, seconds[i]!);
  });

  /** The orders in list order: created_at descending, then id descending. */
  const expected = () => {
    const seconds = [100, 100, 101, 102, 102];
    return placed
      .map((id, i) => ({ id, t: seconds[i]! }))
      .sort((a, b) => b.t - a.t || (a.id < b.id ? 1 : -1))
      .map((o) => o.id);
  };

  it('pages an admin through disjoint pages with the right totalCount', async () => {
    const { pages, totalCount } = await allPages(admin, { customerEmail: buyer.email }, 2);
    expect(totalCount).toBe(5);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(new Set(pages.flat()).size).toBe(5);
    expect(pages.flat()).toEqual(expected());
  });

  it('pages a seller through their orders the same way', async () => {
    const filter = { createdFrom: at(100), createdTo: at(103) };
    const { pages, totalCount } = await allPages(sellerA, filter, 3);
    expect(totalCount).toBe(5);
    expect(pages.map((p) => p.length)).toEqual([3, 2]);
    expect(pages.flat()).toEqual(expected());
    // Seller B has no product in these orders.
    expect((await list(sellerB, { filter })).totalCount).toBe(0);
  });

  it('defaults to 20 and stops at the last page', async () => {
    const page = await list(admin, { filter: { customerEmail: buyer.email } });
    expect(idsOf(page)).toEqual(expected());
    expect(page.pageInfo.hasNextPage).toBe(false);
    const past = await list(admin, {
      filter: { customerEmail: buyer.email },
      after: page.pageInfo.endCursor,
    });
    expect(past.edges).toEqual([]);
    expect(past.totalCount).toBe(5);
  });
});
