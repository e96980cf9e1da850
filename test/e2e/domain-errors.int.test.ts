import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Identity } from '@shop/auth';
import type { Store } from '@shop/seed';
import {
  graphql,
  loadFixtureStore,
  startSupergraph,
  testEnv,
  type RunningSupergraph,
  prepareCheckout,
} from '@shop/testing';

/**
 * Each subgraph's domain refusals as clients get them through the gateway: message and every
 * extension, exactly (outside clients switch on the code and read `field`, `status`, ...; the
 * gateway adds `serviceName`).
 */
const env = testEnv(inject('stack'));
let sg: RunningSupergraph;
let store: Store;

beforeAll(async () => {
  store = await loadFixtureStore(env);
  sg = await startSupergraph(env);
});
afterAll(async () => {
  await sg?.close();
});

async function as(who: Identity | null, query: string, variables: Record<string, unknown> = {}) {
  return graphql<any>(sg.gatewayUrl, query, variables, who ? await sg.authAs(who) : {});
}
/** The first error without where it happened (path, locations). */
const refusal = (res: { errors?: { message: string; extensions?: unknown }[] }) => {
  const [error] = res.errors ?? [];
  return error && { message: error.message, extensions: error.extensions };
};
const customer = (): Identity => ({ userId: randomUUID(), role: 'CUSTOMER' });

describe('domain refusals through the gateway', () => {
  it('catalog', async () => {
    const admin: Identity = { userId: randomUUID(), role: 'ADMIN' };
    const CREATE = `mutation ($input: CreateCategoryInput!) { createCategory(input: $input) { id } }`;
    const slug = `nets-${randomUUID()}`;
    expect((await as(admin, CREATE, { input: { name: 'Nets', slug } })).errors).toBeUndefined();
    expect(refusal(await as(admin, CREATE, { input: { name: 'Nets', slug } }))).toEqual({
      message: `A category with slug "${slug}" already exists`,
      extensions: { code: 'CONFLICT', field: 'slug', serviceName: 'catalog' },
    });
    const REVIEW = `mutation ($p: ID!) { addReview(productId: $p, rating: 5, text: "Fine") { id } }`;
    expect(refusal(await as(customer(), REVIEW, { p: randomUUID() }))).toEqual({
      message: 'Product not found',
      extensions: { code: 'NOT_FOUND', field: 'productId', serviceName: 'catalog' },
    });
    const seller = store.sellers[0]!;
    const other = store.products.find((p) => p.sellerId !== seller.id)!;
    const UPDATE = `mutation ($id: ID!) { updateProduct(id: $id, input: { name: "Mine now" }) { id } }`;
    expect(
      refusal(await as({ userId: seller.ownerUserId, role: 'SELLER' }, UPDATE, { id: other.id })),
    ).toEqual({
      message: "You can only manage your own seller's products",
      extensions: { code: 'FORBIDDEN', serviceName: 'catalog' },
    });
  });

  it('user', async () => {
    const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { accessToken } }`;
    const input = {
      email: `taken-${randomUUID()}@example.com`,
      password: 'a-long-enough-passphrase-7',
      name: 'Taken',
    };
    expect((await as(null, REGISTER, { input })).errors).toBeUndefined();
    expect(refusal(await as(null, REGISTER, { input }))).toEqual({
      message: 'An account with this email already exists',
      extensions: { code: 'CONFLICT', field: 'email', serviceName: 'user' },
    });
    const LOGIN = `mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`;
    expect(
      refusal(await as(null, LOGIN, { e: input.email, p: 'not-the-passphrase-at-all' })),
    ).toEqual({
      message: 'Email or password is incorrect',
      extensions: { code: 'UNAUTHENTICATED', serviceName: 'user' },
    });
    const REFRESH = `mutation ($t: String!) { refreshToken(token: $t) { accessToken } }`;
    expect(refusal(await as(null, REFRESH, { t: 'not-a-refresh-token' }))).toEqual({
      message: 'Refresh token is not valid; sign in again',
      extensions: { code: 'UNAUTHENTICATED', serviceName: 'user' },
    });
  });

  it('cart', async () => {
    const me = customer();
    const ADD = `mutation ($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { itemCount } }`;
    const UPDATE = `mutation ($p: ID!, $q: Int!) { updateCartItem(productId: $p, quantity: $q) { itemCount } }`;
    const product = store.products[0]!.id;
    expect(refusal(await as(me, ADD, { p: product, q: 0 }))).toEqual({
      message: 'quantity must be a whole number from 1 to 99',
      extensions: { code: 'BAD_USER_INPUT', field: 'quantity', serviceName: 'cart' },
    });
    expect(refusal(await as(me, ADD, { p: randomUUID(), q: 1 }))).toEqual({
      message: 'No such product',
      extensions: { code: 'NOT_FOUND', field: 'productId', serviceName: 'cart' },
    });
    expect(refusal(await as(me, UPDATE, { p: product, q: 1 }))).toEqual({
      message: 'The product is not in the cart',
      extensions: { code: 'NOT_FOUND', field: 'productId', serviceName: 'cart' },
    });
    const STOCK = `query ($id: ID!) { product(id: $id) { stock } }`;
    const { stock } = (await as(me, STOCK, { id: product })).data.product;
    // 99 is the most a line holds; a product with that many in stock refuses nothing here.
    expect(stock).toBeLessThan(99);
    expect(refusal(await as(me, ADD, { p: product, q: 99 }))).toEqual({
      message:
        stock === 0
          ? 'The product is out of stock'
          : `Only ${stock} unit(s) of the product are in stock`,
      extensions: { code: 'OUT_OF_STOCK', field: 'quantity', serviceName: 'cart' },
    });
  });

  it('order', async () => {
    const me = customer();
    const PLACE = `mutation ($k: String!) { placeOrder(idempotencyKey: $k) { id } }`;
    expect(refusal(await as(me, PLACE, { k: 'short' }))).toEqual({
      message: 'idempotencyKey must be 8 to 128 characters of A-Z, a-z, 0-9, ".", "_", ":" or "-"',
      extensions: { code: 'BAD_USER_INPUT', field: 'idempotencyKey', serviceName: 'order' },
    });
    expect(refusal(await as(me, PLACE, { k: `empty-${randomUUID()}` }))).toEqual({
      message: 'The cart is empty: add products first',
      extensions: { code: 'BAD_USER_INPUT', serviceName: 'order' },
    });
    const ADD = `mutation ($p: ID!) { addToCart(productId: $p, quantity: 1) { itemCount } }`;
    const inStock = store.products.find((p) => p.stock > 0)!.id;
    expect((await as(me, ADD, { p: inStock })).errors).toBeUndefined();
    await prepareCheckout(sg, { userId: me.userId, token: await sg.tokenFor(me) });
    const placed = await as(me, PLACE, { k: `placed-${randomUUID()}` });
    expect(placed.errors).toBeUndefined();
    const CANCEL = `mutation ($id: ID!) { cancelOrder(id: $id) { status } }`;
    const id = placed.data.placeOrder.id;
    expect((await as(me, CANCEL, { id })).errors).toBeUndefined();
    expect(refusal(await as(me, CANCEL, { id }))).toEqual({
      message: 'The order is already CANCELLED and can no longer change',
      extensions: { code: 'CONFLICT', status: 'CANCELLED', serviceName: 'order' },
    });
  });
});
