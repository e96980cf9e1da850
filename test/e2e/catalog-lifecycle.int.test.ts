import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Identity } from '@shop/auth';
import type { Store } from '@shop/seed';
import {
  graphql,
  loadFixtureStore,
  startSupergraph,
  testEnv,
  withServiceDb,
  type RunningSupergraph,
  prepareCheckout,
} from '@shop/testing';

/**
 * deleteProduct (soft delete), deleteReview, createSeller/updateSeller and the outbox events
 * they write, through the gateway. Search visibility of the same changes is covered end to end
 * in workers/search-indexer/test/search-sync.int.test.ts.
 */
const env = testEnv(inject('stack'));
let supergraph: RunningSupergraph;
let store: Store;
let admin: Identity;
let sellerA: Identity;
let customer: Identity;
let sellerAId: string;
let leafCategoryId: string;

beforeAll(async () => {
  store = await loadFixtureStore(env);
  supergraph = await startSupergraph(env);
  admin = { userId: store.users.find((u) => u.role === 'ADMIN')!.id, role: 'ADMIN' };
  sellerAId = store.sellers[0]!.id;
  sellerA = { userId: store.sellers[0]!.ownerUserId, role: 'SELLER' };
  customer = { userId: store.users.find((u) => u.role === 'CUSTOMER')!.id, role: 'CUSTOMER' };
  leafCategoryId = store.categories.find((c) => c.parentId !== null)!.id;
});
afterAll(async () => {
  await supergraph?.close();
});

async function as(identity: Identity | null, query: string, variables: Record<string, unknown>) {
  const headers = identity ? await supergraph.authAs(identity) : {};
  return graphql<any>(supergraph.gatewayUrl, query, variables, headers);
}
const codeOf = (res: { errors?: { extensions?: { code?: string } }[] }) =>
  res.errors?.[0]?.extensions?.code;

const outboxOf = (aggregateId: string) =>
  withServiceDb(env, 'catalog', async (db) =>
    (
      await db.query<{ type: string; topic: string; payload: Record<string, unknown> }>(
        `SELECT type, topic, payload FROM outbox_events WHERE aggregate_id = $1 ORDER BY seq`,
        [aggregateId],
      )
    ).rows.map((r) => ({ type: r.type, topic: r.topic, payload: r.payload })),
  );

const CREATE_PRODUCT = `mutation ($input: CreateProductInput!) { createProduct(input: $input) { id name } }`;
const DELETE_PRODUCT = `mutation ($id: ID!) { deleteProduct(id: $id) }`;
const UPDATE_PRODUCT = `mutation ($id: ID!, $input: UpdateProductInput!) { updateProduct(id: $id, input: $input) { id } }`;
const PRODUCT = `query ($id: ID!) { product(id: $id) { id name deletedAt } }`;
const ADD_REVIEW = `mutation ($productId: ID!, $rating: Int!, $text: String!) {
  addReview(productId: $productId, rating: $rating, text: $text) { id product { rating reviewCount } } }`;
const DELETE_REVIEW = `mutation ($id: ID!) { deleteReview(id: $id) }`;
const CREATE_SELLER = `mutation ($input: CreateSellerInput!) { createSeller(input: $input) { id slug name description } }`;
const UPDATE_SELLER = `mutation ($id: ID!, $input: UpdateSellerInput!) { updateSeller(id: $id, input: $input) { id slug name description } }`;
const RECORD_VIEW = `mutation ($productId: ID!) { recordProductView(productId: $productId) }`;

async function newProduct(name: string): Promise<string> {
  const res = await as(sellerA, CREATE_PRODUCT, {
    input: { sellerId: sellerAId, categoryId: leafCategoryId, name, price: '19.99', stock: 50 },
  });
  expect(res.errors).toBeUndefined();
  return res.data.createProduct.id;
}

describe('deleteProduct', () => {
  it('hides the product from product(id), lists and new reviews and views, but not from orders and carts', async () => {
    const id = await newProduct(`Doomed Lure ${randomUUID().slice(0, 6)}`);
    const buyer: Identity = { userId: randomUUID(), role: 'CUSTOMER' };
    const add = `mutation ($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { itemCount } }`;
    expect((await as(buyer, add, { p: id, q: 2 })).errors).toBeUndefined();
    await prepareCheckout(supergraph, {
      userId: buyer.userId,
      token: await supergraph.tokenFor(buyer),
    });
    const placed = await as(
      buyer,
      `mutation ($k: String!) { placeOrder(idempotencyKey: $k) { id } }`,
      { k: randomUUID() },
    );
    expect(placed.errors).toBeUndefined();
    expect((await as(buyer, add, { p: id, q: 1 })).errors).toBeUndefined();

    expect((await as(sellerA, DELETE_PRODUCT, { id })).data).toEqual({ deleteProduct: true });

    expect((await as(null, PRODUCT, { id })).data).toEqual({ product: null });
    const list = await as(
      null,
      `query ($f: ProductFilter) { products(filter: $f, first: 100) { totalCount edges { node { id } } } }`,
      { f: { sellerId: sellerAId } },
    );
    expect(list.data.products.edges.map((e: any) => e.node.id)).not.toContain(id);
    const sellerList = await as(
      null,
      `query ($id: ID!) { seller(id: $id) { products(first: 100) { edges { node { id } } } } }`,
      { id: sellerAId },
    );
    expect(sellerList.data.seller.products.edges.map((e: any) => e.node.id)).not.toContain(id);

    // Orders and carts refer to it through federation entity references: it still resolves.
    const order = await as(
      buyer,
      `query ($id: ID!) { order(id: $id) { items { product { id name deletedAt } } } }`,
      { id: placed.data.placeOrder.id },
    );
    expect(order.errors).toBeUndefined();
    expect(order.data.order.items[0].product).toMatchObject({ id, name: expect.any(String) });
    expect(order.data.order.items[0].product.deletedAt).toEqual(expect.any(String));
    const cart = await as(buyer, `{ cart { items { product { id name deletedAt } } } }`, {});
    expect(cart.errors).toBeUndefined();
    expect(cart.data.cart.items.map((i: any) => i.product.id)).toContain(id);

    expect(codeOf(await as(sellerA, DELETE_PRODUCT, { id }))).toBe('NOT_FOUND');
    expect(codeOf(await as(sellerA, UPDATE_PRODUCT, { id, input: { stock: 3 } }))).toBe(
      'NOT_FOUND',
    );
    expect(codeOf(await as(customer, ADD_REVIEW, { productId: id, rating: 4, text: '' }))).toBe(
      'NOT_FOUND',
    );
    expect(codeOf(await as(null, RECORD_VIEW, { productId: id }))).toBe('NOT_FOUND');

    const events = await outboxOf(id);
    expect(events.map((e) => e.type)).toEqual(['ProductCreated', 'ProductDeleted']);
    expect(events[1]).toEqual({
      type: 'ProductDeleted',
      topic: 'catalog.products',
      payload: { productId: id },
    });
  });

  it("refuses anonymous callers, customers, another seller's product and malformed ids", async () => {
    const id = await newProduct(`Kept Lure ${randomUUID().slice(0, 6)}`);
    const otherSeller: Identity = { userId: store.sellers[1]!.ownerUserId, role: 'SELLER' };
    expect(codeOf(await as(null, DELETE_PRODUCT, { id }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await as(customer, DELETE_PRODUCT, { id }))).toBe('FORBIDDEN');
    expect(codeOf(await as(otherSeller, DELETE_PRODUCT, { id }))).toBe('FORBIDDEN');
    expect(codeOf(await as(admin, DELETE_PRODUCT, { id: 'nope' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await as(admin, DELETE_PRODUCT, { id: randomUUID() }))).toBe('NOT_FOUND');
    expect((await as(null, PRODUCT, { id })).data.product).toMatchObject({ id, deletedAt: null });
    // An admin may delete any seller's product.
    expect((await as(admin, DELETE_PRODUCT, { id })).data).toEqual({ deleteProduct: true });
  });
});

describe('deleteReview', () => {
  it('lets the author delete, recomputes the rating and writes ReviewDeleted and ProductUpdated', async () => {
    const id = await newProduct(`Reviewed Reel ${randomUUID().slice(0, 6)}`);
    const [a, b] = [randomUUID(), randomUUID()].map((userId): Identity => ({
      userId,
      role: 'CUSTOMER',
    }));
    const first = await as(a!, ADD_REVIEW, { productId: id, rating: 5, text: 'superb' });
    const second = await as(b!, ADD_REVIEW, { productId: id, rating: 2, text: 'meh' });
    expect(second.data.addReview.product).toEqual({ rating: 3.5, reviewCount: 2 });

    expect(codeOf(await as(b!, DELETE_REVIEW, { id: first.data.addReview.id }))).toBe('FORBIDDEN');
    expect(codeOf(await as(null, DELETE_REVIEW, { id: first.data.addReview.id }))).toBe(
      'UNAUTHENTICATED',
    );
    expect((await as(a!, DELETE_REVIEW, { id: first.data.addReview.id })).data).toEqual({
      deleteReview: true,
    });
    const rating = `query ($id: ID!) { product(id: $id) { rating reviewCount } }`;
    expect((await as(null, rating, { id })).data.product).toEqual({ rating: 2, reviewCount: 1 });
    expect((await as(admin, DELETE_REVIEW, { id: second.data.addReview.id })).data).toEqual({
      deleteReview: true,
    });
    expect((await as(null, rating, { id })).data.product).toEqual({
      rating: null,
      reviewCount: 0,
    });
    expect(codeOf(await as(admin, DELETE_REVIEW, { id: second.data.addReview.id }))).toBe(
      'NOT_FOUND',
    );
    expect(codeOf(await as(admin, DELETE_REVIEW, { id: 'x' }))).toBe('BAD_USER_INPUT');

    const events = (await outboxOf(id)).map((e) => `${e.topic} ${e.type}`);
    expect(events).toEqual([
      'catalog.products ProductCreated',
      'catalog.reviews ReviewCreated',
      'catalog.products ProductUpdated',
      'catalog.reviews ReviewCreated',
      'catalog.products ProductUpdated',
      'catalog.reviews ReviewDeleted',
      'catalog.products ProductUpdated',
      'catalog.reviews ReviewDeleted',
      'catalog.products ProductUpdated',
    ]);
  });
});

describe('createSeller and updateSeller', () => {
  it('lets a seller open and rename their own seller, with events', async () => {
    const owner: Identity = { userId: randomUUID(), role: 'SELLER' };
    const tag = randomUUID().slice(0, 6);
    const created = await as(owner, CREATE_SELLER, {
      input: { name: ` Pike & Perch ${tag} `, description: 'Lures from the lakes.' },
    });
    expect(created.errors).toBeUndefined();
    const seller = created.data.createSeller;
    expect(seller).toMatchObject({
      slug: `pike-perch-${tag}`,
      name: `Pike & Perch ${tag}`,
      description: 'Lures from the lakes.',
    });
    // The owner manages the new seller's products.
    const product = await as(owner, CREATE_PRODUCT, {
      input: {
        sellerId: seller.id,
        categoryId: leafCategoryId,
        name: 'Perch Jig',
        price: '4.50',
        stock: 9,
      },
    });
    expect(product.errors).toBeUndefined();

    const renamed = await as(owner, UPDATE_SELLER, {
      id: seller.id,
      input: { name: `Pike and Perch ${tag}`, description: null },
    });
    expect(renamed.data.updateSeller).toMatchObject({
      id: seller.id,
      slug: seller.slug,
      name: `Pike and Perch ${tag}`,
      description: '',
    });
    const events = await outboxOf(seller.id);
    expect(events.map((e) => `${e.topic} ${e.type}`)).toEqual([
      'catalog.sellers SellerCreated',
      'catalog.sellers SellerUpdated',
    ]);
    expect(events[1]!.payload).toEqual({
      sellerId: seller.id,
      slug: seller.slug,
      name: `Pike and Perch ${tag}`,
      description: '',
      ownerUserId: owner.userId,
    });
  });

  it('checks roles, ownership, input and slug conflicts', async () => {
    const tag = randomUUID().slice(0, 6);
    const input = { name: `Guarded Tackle ${tag}` };
    expect(codeOf(await as(null, CREATE_SELLER, { input }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await as(customer, CREATE_SELLER, { input }))).toBe('FORBIDDEN');
    expect(
      codeOf(await as(sellerA, CREATE_SELLER, { input: { ...input, ownerUserId: randomUUID() } })),
    ).toBe('FORBIDDEN');
    for (const bad of [
      { name: '   ' },
      { name: 'x'.repeat(201) },
      { name: 'ok', slug: 'Not A Slug' },
      { name: 'ok', ownerUserId: 'nope' },
      { name: '!!!' },
    ])
      expect(codeOf(await as(admin, CREATE_SELLER, { input: bad })), JSON.stringify(bad)).toBe(
        'BAD_USER_INPUT',
      );
    const made = await as(admin, CREATE_SELLER, { input: { ...input, ownerUserId: null } });
    expect(made.errors).toBeUndefined();
    const id = made.data.createSeller.id;
    expect(codeOf(await as(admin, CREATE_SELLER, { input }))).toBe('CONFLICT');

    // Nobody owns it: only admins change it.
    expect(codeOf(await as(sellerA, UPDATE_SELLER, { id, input: { name: 'Mine' } }))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await as(customer, UPDATE_SELLER, { id, input: { name: 'Mine' } }))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await as(admin, UPDATE_SELLER, { id, input: { name: null } }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      codeOf(await as(admin, UPDATE_SELLER, { id, input: { slug: store.sellers[0]!.slug } })),
    ).toBe('CONFLICT');
    expect(codeOf(await as(admin, UPDATE_SELLER, { id: randomUUID(), input: { name: 'x' } }))).toBe(
      'NOT_FOUND',
    );
    expect(
      (await as(admin, UPDATE_SELLER, { id, input: { name: `Renamed ${tag}` } })).data.updateSeller
        .name,
    ).toBe(`Renamed ${tag}`);
  });
});

describe('recordProductView', () => {
  it('writes ProductViewed to the outbox with the view', async () => {
    const id = await newProduct(`Viewed Net ${randomUUID().slice(0, 6)}`);
    expect((await as(customer, RECORD_VIEW, { productId: id })).errors).toBeUndefined();
    expect((await as(null, RECORD_VIEW, { productId: id })).errors).toBeUndefined();
    const viewed = (await outboxOf(id)).filter((e) => e.type === 'ProductViewed');
    expect(viewed).toEqual([
      {
        type: 'ProductViewed',
        topic: 'analytics.product-views',
        payload: { productId: id, userId: customer.userId },
      },
      {
        type: 'ProductViewed',
        topic: 'analytics.product-views',
        payload: { productId: id, userId: null },
      },
    ]);
  });
});
