import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Identity } from '@shop/auth';
import {
  graphql,
  loadFixtureStore,
  startSupergraph,
  testEnv,
  type RunningSupergraph,
} from '@shop/testing';
import type { Store } from '@shop/seed';

const env = testEnv(inject('stack'));
let supergraph: RunningSupergraph;
let store: Store;
let admin: Identity;
let sellerA: Identity;
let customer: Identity;
let sellerAId: string;
let sellerBId: string;
let leafCategoryId: string;

beforeAll(async () => {
  store = await loadFixtureStore(env);
  supergraph = await startSupergraph(env);
  admin = { userId: store.users.find((u) => u.role === 'ADMIN')!.id, role: 'ADMIN' };
  sellerAId = store.sellers[0]!.id;
  sellerBId = store.sellers[1]!.id;
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

const CREATE_CATEGORY = `mutation ($input: CreateCategoryInput!) {
  createCategory(input: $input) { id slug name description parent { id } } }`;
const CREATE_PRODUCT = `mutation ($input: CreateProductInput!) {
  createProduct(input: $input) {
    id sku name description price { amount currency } stock inStock rating reviewCount
    attributes { name value } images category { id } seller { id } } }`;
const UPDATE_PRODUCT = `mutation ($id: ID!, $input: UpdateProductInput!) {
  updateProduct(id: $id, input: $input) {
    id name description price { amount } stock attributes { name value } images category { id } } }`;
const ADD_REVIEW = `mutation ($productId: ID!, $rating: Int!, $text: String!) {
  addReview(productId: $productId, rating: $rating, text: $text) {
    id rating text author { id } product { id rating reviewCount } } }`;
const RECORD_VIEW = `mutation ($productId: ID!) { recordProductView(productId: $productId) }`;

const productInput = (overrides: Record<string, unknown> = {}) => ({
  sellerId: sellerAId,
  categoryId: leafCategoryId,
  name: 'Test Rod 7ft Medium',
  description: 'A rod made by a test.',
  price: '129.5',
  stock: 4,
  attributes: [
    { name: 'length', value: '7\'0"' },
    { name: 'brand', value: 'Testline' },
  ],
  images: ['https://images.tackle.shop/test/rod.jpg'],
  ...overrides,
});

describe('createCategory', () => {
  it('lets an admin add a sub-category with a derived slug', async () => {
    const parent = store.categories.find((c) => c.parentId === null)!;
    const res = await as(admin, CREATE_CATEGORY, {
      input: { name: `Ice Fishing Rods ${Date.now()}`, parentId: parent.id },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.createCategory.slug).toMatch(/^ice-fishing-rods-\d+$/);
    expect(res.data.createCategory.parent.id).toBe(parent.id);
  });

  it('refuses other roles, bad input, unknown parents and duplicate slugs', async () => {
    const input = { name: 'Nets', slug: `nets-${Date.now()}` };
    expect(codeOf(await as(null, CREATE_CATEGORY, { input }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await as(sellerA, CREATE_CATEGORY, { input }))).toBe('FORBIDDEN');
    expect(codeOf(await as(customer, CREATE_CATEGORY, { input }))).toBe('FORBIDDEN');
    for (const bad of [
      { name: '' },
      { name: 'x'.repeat(121) },
      { name: 'Ok', slug: 'Not A Slug' },
      { name: 'Ok', parentId: 'abc' },
      { name: '!!!' },
    ])
      expect(codeOf(await as(admin, CREATE_CATEGORY, { input: bad })), JSON.stringify(bad)).toBe(
        'BAD_USER_INPUT',
      );
    expect(
      codeOf(await as(admin, CREATE_CATEGORY, { input: { ...input, parentId: randomUUID() } })),
    ).toBe('NOT_FOUND');
    expect(codeOf(await as(admin, CREATE_CATEGORY, { input }))).toBeUndefined();
    const again = await as(admin, CREATE_CATEGORY, { input });
    expect(codeOf(again)).toBe('CONFLICT');
    expect(again.errors?.[0]?.message).toMatch(/slug/);
  });
});

describe('createProduct', () => {
  it('lets a seller list a product for their own seller, canonicalising the price', async () => {
    const res = await as(sellerA, CREATE_PRODUCT, { input: productInput() });
    expect(res.errors).toBeUndefined();
    expect(res.data.createProduct).toMatchObject({
      name: 'Test Rod 7ft Medium',
      price: { amount: '129.50', currency: 'USD' },
      stock: 4,
      inStock: true,
      rating: null,
      reviewCount: 0,
      attributes: [
        { name: 'brand', value: 'Testline' },
        { name: 'length', value: '7\'0"' },
      ],
      category: { id: leafCategoryId },
      seller: { id: sellerAId },
    });
    expect(res.data.createProduct.sku).toMatch(/^P-[0-9A-F]{10}$/);
  });

  it('lets an admin list for any seller; refuses a seller for another seller', async () => {
    const other = productInput({ sellerId: sellerBId });
    expect(codeOf(await as(admin, CREATE_PRODUCT, { input: other }))).toBeUndefined();
    expect(codeOf(await as(sellerA, CREATE_PRODUCT, { input: other }))).toBe('FORBIDDEN');
    expect(codeOf(await as(customer, CREATE_PRODUCT, { input: productInput() }))).toBe('FORBIDDEN');
    expect(codeOf(await as(null, CREATE_PRODUCT, { input: productInput() }))).toBe(
      'UNAUTHENTICATED',
    );
  });

  it.each([
    [{ price: '-1' }, 'price'],
    [{ price: '1.999' }, 'price'],
    [{ price: '12,50' }, 'price'],
    [{ price: '99999999' }, 'price'],
    [{ price: 'NaN' }, 'price'],
    [{ stock: -3 }, 'stock'],
    [{ stock: 2_000_000 }, 'stock'],
    [{ name: '   ' }, 'name'],
    [{ name: 'n'.repeat(201) }, 'name'],
    [{ description: 'd'.repeat(5001) }, 'description'],
    [{ sellerId: 'seller-1' }, 'sellerId'],
    [{ categoryId: '123' }, 'categoryId'],
    [{ currency: 'EUR' }, 'currency'],
    [{ images: ['ftp://x/y.jpg'] }, 'images[0]'],
    [
      { attributes: Array.from({ length: 31 }, (_, i) => ({ name: `a${i}`, value: 'v' })) },
      'attributes',
    ],
  ])('refuses %j as BAD_USER_INPUT', async (overrides, field) => {
    const res = await as(admin, CREATE_PRODUCT, { input: productInput(overrides) });
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toContain(field);
  });

  it('answers NOT_FOUND for unknown sellers and categories, CONFLICT for a used SKU', async () => {
    expect(
      codeOf(await as(admin, CREATE_PRODUCT, { input: productInput({ sellerId: randomUUID() }) })),
    ).toBe('NOT_FOUND');
    expect(
      codeOf(
        await as(admin, CREATE_PRODUCT, { input: productInput({ categoryId: randomUUID() }) }),
      ),
    ).toBe('NOT_FOUND');
    const sku = store.products[0]!.sku;
    expect(codeOf(await as(admin, CREATE_PRODUCT, { input: productInput({ sku }) }))).toBe(
      'CONFLICT',
    );
  });
});

describe('updateProduct', () => {
  const ownProduct = () => store.products.find((p) => p.sellerId === sellerAId)!;
  const otherProduct = () => store.products.find((p) => p.sellerId !== sellerAId)!;

  it('applies a partial update by the owning seller and leaves the rest alone', async () => {
    const p = ownProduct();
    const res = await as(sellerA, UPDATE_PRODUCT, {
      id: p.id,
      input: { price: '10', stock: 0, images: null },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.updateProduct).toMatchObject({
      id: p.id,
      name: p.name,
      description: p.description,
      price: { amount: '10.00' },
      stock: 0,
      images: [],
    });
    const list = await as(
      null,
      `query ($f: ProductFilter) { products(filter: $f, first: 100) { edges { node { id } } } }`,
      {
        f: { sellerId: sellerAId, inStock: false, maxPrice: '10' },
      },
    );
    expect(list.data.products.edges.map((e: any) => e.node.id)).toContain(p.id);
  });

  it("lets an admin change any product; refuses another seller's product", async () => {
    const p = otherProduct();
    expect(codeOf(await as(sellerA, UPDATE_PRODUCT, { id: p.id, input: { stock: 1 } }))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await as(customer, UPDATE_PRODUCT, { id: p.id, input: { stock: 1 } }))).toBe(
      'FORBIDDEN',
    );
    const res = await as(admin, UPDATE_PRODUCT, {
      id: p.id,
      input: { name: 'Renamed by admin', attributes: [{ name: 'brand', value: 'X' }] },
    });
    expect(res.data.updateProduct).toMatchObject({
      name: 'Renamed by admin',
      attributes: [{ name: 'brand', value: 'X' }],
    });
  });

  it('refuses nulls for required fields, bad values, malformed and unknown ids', async () => {
    const p = ownProduct();
    for (const input of [{ name: null }, { price: null }, { stock: -1 }, { price: '0.001' }])
      expect(
        codeOf(await as(sellerA, UPDATE_PRODUCT, { id: p.id, input })),
        JSON.stringify(input),
      ).toBe('BAD_USER_INPUT');
    expect(codeOf(await as(sellerA, UPDATE_PRODUCT, { id: 'x', input: { stock: 1 } }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(codeOf(await as(admin, UPDATE_PRODUCT, { id: randomUUID(), input: { stock: 1 } }))).toBe(
      'NOT_FOUND',
    );
    expect(
      codeOf(await as(admin, UPDATE_PRODUCT, { id: p.id, input: { categoryId: randomUUID() } })),
    ).toBe('NOT_FOUND');
  });
});

describe('addReview', () => {
  it('adds a review, updates the rating at once, and refuses a second one', async () => {
    const p = store.products.find((x) => x.ratingCount === 2)!;
    const reviewer = store.users.find(
      (u) =>
        u.role === 'CUSTOMER' &&
        !store.reviews.some((r) => r.productId === p.id && r.userId === u.id),
    )!;
    const identity: Identity = { userId: reviewer.id, role: 'CUSTOMER' };
    const res = await as(identity, ADD_REVIEW, { productId: p.id, rating: 5, text: ' Great! ' });
    expect(res.errors).toBeUndefined();
    const expected = Math.round((((p.ratingAvg ?? 0) * 2 + 5) / 3) * 100) / 100;
    expect(res.data.addReview).toMatchObject({
      rating: 5,
      text: 'Great!',
      author: { id: reviewer.id },
      product: { id: p.id, reviewCount: 3, rating: expected },
    });
    const again = await as(identity, ADD_REVIEW, { productId: p.id, rating: 1, text: 'again' });
    expect(codeOf(again)).toBe('CONFLICT');
    const after = await as(null, `query ($id: ID!) { product(id: $id) { rating reviewCount } }`, {
      id: p.id,
    });
    expect(after.data.product).toEqual({ rating: expected, reviewCount: 3 });
  });

  it('keeps the rating exact under concurrent reviews of one product', async () => {
    const p = store.products.find((x) => x.ratingCount === 0)!;
    const ratings = [1, 2, 3, 4, 5, 5, 4, 3];
    const results = await Promise.all(
      ratings.map((rating) =>
        as({ userId: randomUUID(), role: 'CUSTOMER' }, ADD_REVIEW, {
          productId: p.id,
          rating,
          text: '',
        }),
      ),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    const after = await as(null, `query ($id: ID!) { product(id: $id) { rating reviewCount } }`, {
      id: p.id,
    });
    expect(after.data.product).toEqual({ rating: 3.38, reviewCount: 8 });
  });

  it('needs a sign-in and valid input', async () => {
    const p = store.products[0]!;
    expect(codeOf(await as(null, ADD_REVIEW, { productId: p.id, rating: 4, text: 'x' }))).toBe(
      'UNAUTHENTICATED',
    );
    for (const vars of [
      { productId: p.id, rating: 0, text: 'x' },
      { productId: p.id, rating: 6, text: 'x' },
      { productId: p.id, rating: 3, text: 't'.repeat(2001) },
      { productId: 'nope', rating: 3, text: 'x' },
    ])
      expect(codeOf(await as(customer, ADD_REVIEW, vars)), JSON.stringify(vars)).toBe(
        'BAD_USER_INPUT',
      );
    expect(
      codeOf(await as(customer, ADD_REVIEW, { productId: randomUUID(), rating: 3, text: '' })),
    ).toBe('NOT_FOUND');
  });
});

describe('recordProductView', () => {
  it('stores anonymous and signed-in views; refuses malformed and unknown ids', async () => {
    const p = store.products[3]!;
    expect((await as(null, RECORD_VIEW, { productId: p.id })).data).toEqual({
      recordProductView: true,
    });
    expect((await as(customer, RECORD_VIEW, { productId: p.id })).data).toEqual({
      recordProductView: true,
    });
    expect(codeOf(await as(null, RECORD_VIEW, { productId: '1' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(await as(null, RECORD_VIEW, { productId: randomUUID() }))).toBe('NOT_FOUND');
    const db = new pg.Client({ connectionString: env.databaseUrl('catalog') });
    await db.connect();
    try {
      const rows = await db.query(
        'SELECT user_id FROM product_views WHERE product_id = $1 ORDER BY id',
        [p.id],
      );
      expect(rows.rows.map((r) => r.user_id)).toEqual([null, customer.userId]);
    } finally {
      await db.end();
    }
  });
});
