import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Identity } from '@shop/auth';
import { SubgraphClient } from '@shop/subgraph-client';
import {
  graphql,
  loadFixtureStore,
  startSqlCountingCatalog,
  startSupergraph,
  testEnv,
  withServiceDb,
  type RunningSupergraph,
  type SqlCountingCatalog,
} from '@shop/testing';
import { catalogProducts } from '../src/data/catalog.ts';

/**
 * The cart's catalog lookup (`_entities` on the catalog subgraph) against the real catalog:
 * what it sees of a product for pricing, that it stays batched, and that a product withdrawn
 * from sale (deleted) cannot be put in a cart (domain/cart-rules.ts refuses what it reports
 * deleted).
 */
const env = testEnv(inject('stack'));
let store: Awaited<ReturnType<typeof loadFixtureStore>>;
let supergraph: RunningSupergraph;
let counting: SqlCountingCatalog;
let admin: Identity;
let seller: Identity;
let sellerId: string;
const clients: SubgraphClient[] = [];

beforeAll(async () => {
  store = await loadFixtureStore(env);
  supergraph = await startSupergraph(env);
  counting = await startSqlCountingCatalog(env);
  admin = { userId: store.users.find((u) => u.role === 'ADMIN')!.id, role: 'ADMIN' };
  seller = { userId: store.sellers[0]!.ownerUserId, role: 'SELLER' };
  sellerId = store.sellers[0]!.id;
});
afterAll(async () => {
  for (const client of clients) client.close();
  await supergraph?.close();
  await counting?.close();
});

async function as(identity: Identity, query: string, variables: Record<string, unknown>) {
  return graphql<any>(supergraph.gatewayUrl, query, variables, await supergraph.authAs(identity));
}

/** A fresh lookup as the cart service makes one per request. */
function lookup(url = supergraph.subgraphUrls.catalog) {
  const client = new SubgraphClient({ service: 'catalog', url });
  clients.push(client);
  return catalogProducts(client);
}

async function newCategory(name: string, parentId: string | null): Promise<string> {
  const res = await as(
    admin,
    `mutation ($input: CreateCategoryInput!) { createCategory(input: $input) { id } }`,
    { input: { name: `${name} ${randomUUID().slice(0, 8)}`, parentId } },
  );
  expect(res.errors).toBeUndefined();
  return res.data.createCategory.id;
}

async function newProduct(categoryId: string, extra: Record<string, unknown> = {}) {
  const res = await as(
    seller,
    `mutation ($input: CreateProductInput!) { createProduct(input: $input) { id } }`,
    {
      input: {
        sellerId,
        categoryId,
        name: `Lookup Lure ${randomUUID().slice(0, 8)}`,
        price: '12.50',
        stock: 10,
        ...extra,
      },
    },
  );
  expect(res.errors).toBeUndefined();
  return res.data.createProduct.id as string;
}

describe("the cart's catalog lookup", () => {
  it('carries weight, tax class, the category and its ancestors, nearest first', async () => {
    const top = await newCategory('Lookup Top', null);
    const middle = await newCategory('Lookup Middle', top);
    const leaf = await newCategory('Lookup Leaf', middle);
    const id = await newProduct(leaf, { weightGrams: 321, taxClass: 'REDUCED' });
    const seeded = store.products[0]!;
    const seededParent = store.categories.find((c) => c.id === seeded.categoryId)!.parentId;

    const products = lookup();
    const [made, fromSeed] = await Promise.all([products.load(id), products.load(seeded.id)]);
    expect(made).toEqual({
      id,
      price: { amount: '12.50', currency: 'USD' },
      stock: 10,
      deletedAt: null,
      weightGrams: 321,
      taxClass: 'REDUCED',
      category: { id: leaf, ancestorIds: [middle, top] },
    });
    expect(fromSeed).toMatchObject({
      id: seeded.id,
      weightGrams: seeded.weightGrams,
      taxClass: seeded.taxClass,
      category: { id: seeded.categoryId, ancestorIds: [seededParent] },
    });
    expect(await products.load(randomUUID())).toBeNull();
  });

  it('costs the catalog the same few SQL statements for 3 products as for 40', async () => {
    const ids = store.products.map((p) => p.id);
    const statementsFor = async (count: number) => {
      const products = lookup(counting.graphqlUrl);
      counting.reset();
      const rows = await products.loadMany(ids.slice(0, count));
      expect(rows.every((row) => row && !(row instanceof Error) && row.category.ancestorIds)).toBe(
        true,
      );
      return [...counting.queries];
    };
    const few = await statementsFor(3);
    const many = await statementsFor(40);
    // products by id, categories by id, every category's ancestors in one recursive query
    expect(many).toHaveLength(few.length);
    expect(many.length).toBeLessThanOrEqual(3);
  });
});

describe('a product withdrawn from sale (deleted) in the cart', () => {
  const ADD = `mutation ($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { itemCount } }`;
  const UPDATE = `mutation ($p: ID!, $q: Int!) { updateCartItem(productId: $p, quantity: $q) { itemCount } }`;
  const linesOf = (userId: string) =>
    withServiceDb(env, 'cart', async (db) =>
      (
        await db.query<{ product_id: string; quantity: number }>(
          'SELECT product_id, quantity FROM cart_items WHERE user_id = $1 ORDER BY product_id',
          [userId],
        )
      ).rows.map((r) => ({ productId: r.product_id, quantity: r.quantity })),
    );

  it('cannot be added or have its quantity changed (NOT_FOUND, nothing written), but still shows', async () => {
    const leaf = store.categories.find((c) => c.parentId !== null)!.id;
    const id = await newProduct(leaf);
    const holder: Identity = { userId: randomUUID(), role: 'CUSTOMER' };
    const newcomer: Identity = { userId: randomUUID(), role: 'CUSTOMER' };
    expect((await as(holder, ADD, { p: id, q: 2 })).data).toEqual({ addToCart: { itemCount: 2 } });
    const deleted = await as(seller, `mutation ($id: ID!) { deleteProduct(id: $id) }`, { id });
    expect(deleted.data).toEqual({ deleteProduct: true });

    for (const [who, query, q] of [
      [newcomer, ADD, 1],
      [holder, ADD, 1],
      [holder, UPDATE, 5],
    ] as const) {
      const res = await as(who, query, { p: id, q });
      expect(res.data).toBeNull();
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'productId' });
    }
    expect(await linesOf(newcomer.userId)).toEqual([]);
    expect(await linesOf(holder.userId)).toEqual([{ productId: id, quantity: 2 }]);

    // The line it already had still resolves and totals, and can be removed.
    const cart = await as(
      holder,
      `{ cart { itemCount subtotal { amount } items { quantity product { id deletedAt } } } }`,
      {},
    );
    expect(cart.errors).toBeUndefined();
    expect(cart.data.cart).toMatchObject({
      itemCount: 2,
      subtotal: { amount: '25.00' },
      items: [{ quantity: 2, product: { id, deletedAt: expect.any(String) } }],
    });
    const removed = await as(
      holder,
      `mutation ($p: ID!) { removeFromCart(productId: $p) { itemCount } }`,
      { p: id },
    );
    expect(removed.data).toEqual({ removeFromCart: { itemCount: 0 } });
    expect(await linesOf(holder.userId)).toEqual([]);
  });
});
