/**
 * The checkout's choices in the cart, through the gateway against the whole supergraph: the
 * address (a copy from the user service's address book), the shipping method and the discount
 * code, and the prices the order service quotes for them. The zones, methods and codes the tests
 * use are their own rows (random names), removed afterwards.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { IDENTITY_HEADER, signIdentity, type Identity } from '@shop/auth';
import { loadCartConfig, startCartService } from '@shop/cart';
import { createLogger } from '@shop/logging';
import type { Store } from '@shop/seed';
import {
  TEST_INTERNAL_SECRET,
  graphql,
  loadFixtureStore,
  startSupergraph,
  testEnv,
  withServiceDb,
  type RunningSupergraph,
} from '@shop/testing';

const env = testEnv(inject('stack'));
let supergraph: RunningSupergraph;
let store: Store;
let rod: string; // 20.00
let lure: string; // 5.00
let priceMode: 'NET' | 'GROSS';
let currency: string;

const tag = randomUUID().slice(0, 8).toUpperCase();
const zones = { de: randomUUID(), jp: randomUUID() };
/** deFlat: 7.00 to DE; deTiny: by weight up to 1 g only (any two units are too heavy); jp: 15.00. */
const methods = { deFlat: randomUUID(), deTiny: randomUUID(), jp: randomUUID() };
const codes = {
  percent: `CT${tag}TEN`, // 10 % off everything
  expired: `CT${tag}OLD`,
  future: `CT${tag}SOON`,
  minimum: `CT${tag}BIG`, // needs 1,000,000.00
  usedUp: `CT${tag}GONE`, // 1 use, used once
};

const ADDRESSES = {
  DE: {
    recipient: 'Uta Angler',
    phone: '+49 30 1234567',
    line1: 'Seestraße 1',
    city: 'Berlin',
    postalCode: '10115',
    country: 'DE',
  },
  DE2: {
    recipient: 'Jan Angler',
    phone: '+49 40 7654321',
    line1: 'Hafenweg 2',
    city: 'Hamburg',
    postalCode: '20095',
    country: 'DE',
  },
  JP: {
    recipient: 'Ken Angler',
    phone: '+81 3 1234 5678',
    line1: '1-1 Chiyoda',
    city: 'Tokyo',
    postalCode: '100-0001',
    country: 'JP',
  },
} as const;
const ADDRESS_FIELDS = 'id recipient phone line1 line2 city region postalCode country isDefault';
const MONEY = '{ amount currency }';
const TOTALS = `totals { subtotal ${MONEY} discount ${MONEY} shipping ${MONEY} tax ${MONEY} total ${MONEY} }`;
const CART = `{ itemCount subtotal ${MONEY} ${TOTALS}
  shippingAddress { ${ADDRESS_FIELDS} } shippingMethod { id name carrier }
  shippingOptions { method { id name carrier } price ${MONEY} estimatedDays { min max } }
  discountCode discountProblem
  items { quantity product { id } lineTotal ${MONEY} discount ${MONEY} tax ${MONEY} } }`;
const SET_ADDRESS = `mutation ($id: ID!) { setCartShippingAddress(addressId: $id) ${CART} }`;
const SET_METHOD = `mutation ($id: ID!) { setCartShippingMethod(methodId: $id) ${CART} }`;
const APPLY = `mutation ($code: String!) { applyDiscountCode(code: $code) ${CART} }`;
const REMOVE_CODE = `mutation { removeDiscountCode ${CART} }`;
const ADD = `mutation ($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { itemCount } }`;

interface Customer {
  identity: Identity;
  call(query: string, variables?: Record<string, unknown>): Promise<any>;
}

/** A new customer in the user database, signed in through the gateway. */
async function newCustomer(): Promise<Customer> {
  const identity: Identity = { userId: randomUUID(), role: 'CUSTOMER' };
  await withServiceDb(env, 'user', (db) =>
    db.query(
      `INSERT INTO users (id, email, password_hash, name, role, updated_at)
       VALUES ($1, $2, 'unused', 'Checkout tester', 'CUSTOMER', now())`,
      [identity.userId, `cart-checkout-${identity.userId}@tackle.test`],
    ),
  );
  const headers = await supergraph.authAs(identity);
  return {
    identity,
    call: (query, variables = {}) => graphql<any>(supergraph.gatewayUrl, query, variables, headers),
  };
}

async function addAddress(who: Customer, input: (typeof ADDRESSES)[keyof typeof ADDRESSES]) {
  const res = await who.call(
    `mutation ($input: AddressInput!) { addAddress(input: $input) { ${ADDRESS_FIELDS} } }`,
    { input },
  );
  expect(res.errors).toBeUndefined();
  return res.data.addAddress as Record<string, unknown> & { id: string };
}

/** The cart's stored choices, straight from its database (null: no row). */
const storedChoices = (userId: string) =>
  withServiceDb(env, 'cart', async (db) => {
    const { rows } = await db.query(
      `SELECT shipping_address AS "address", shipping_method_id AS "methodId",
              discount_code AS "code", updated_at AS "updatedAt"
         FROM cart_checkouts WHERE user_id = $1`,
      [userId],
    );
    return rows[0] ?? null;
  });

const cents = (money: { amount: string }) => Math.round(Number(money.amount) * 100);
const refusal = (res: any) => ({
  code: res.errors?.[0]?.extensions?.code,
  field: res.errors?.[0]?.extensions?.field,
  message: res.errors?.[0]?.message,
});

/** The totals add up: NET adds the tax, GROSS includes it; the lines add up to the totals. */
function expectConsistent(cart: any) {
  const t = cart.totals;
  for (const money of Object.values(t)) expect((money as any).currency).toBe(currency);
  const net = cents(t.subtotal) - cents(t.discount) + cents(t.shipping);
  expect(cents(t.total)).toBe(priceMode === 'NET' ? net + cents(t.tax) : net);
  expect(cents(t.subtotal)).toBe(cents(cart.subtotal));
  const lines = cart.items as any[];
  expect(lines.reduce((s, l) => s + cents(l.discount), 0)).toBe(cents(t.discount));
  expect(lines.reduce((s, l) => s + cents(l.tax), 0)).toBeLessThanOrEqual(cents(t.tax));
}

beforeAll(async () => {
  store = await loadFixtureStore(env);
  [rod, lure] = store.products.slice(0, 2).map((p) => p.id) as [string, string];
  await withServiceDb(env, 'catalog', async (db) => {
    await db.query('UPDATE products SET price = 20.00, stock = 100 WHERE id = $1', [rod]);
    await db.query('UPDATE products SET price = 5.00, stock = 100 WHERE id = $1', [lure]);
  });
  await withServiceDb(env, 'order', async (db) => {
    const settings = await db.query(`SELECT price_mode, currency FROM store_settings WHERE id = 1`);
    priceMode = settings.rows[0].price_mode;
    currency = settings.rows[0].currency;
    await db.query(
      `INSERT INTO tax_rates (country, tax_class, rate_bp)
       VALUES ('DE', 'STANDARD', 1900), ('DE', 'REDUCED', 700), ('JP', 'STANDARD', 1000), ('JP', 'REDUCED', 800)
       ON CONFLICT DO NOTHING`,
    );
    await db.query(
      `INSERT INTO shipping_zones (id, name, countries) VALUES ($1, $2, '{DE}'), ($3, $4, '{JP}')`,
      [zones.de, `cart-checkout ${tag} DE`, zones.jp, `cart-checkout ${tag} JP`],
    );
    await db.query(
      `INSERT INTO shipping_methods (id, zone_id, name, carrier, rate_kind, flat_amount, weight_tiers, min_days, max_days)
       VALUES ($1, $4, 'Test flat ${tag}', 'Test Post', 'FLAT', 700, NULL, 2, 4),
              ($2, $4, 'Test letter ${tag}', 'Test Post', 'BY_WEIGHT', NULL, '[{"upToGrams": 1, "amount": 100}]', 1, 3),
              ($3, $5, 'Test Japan ${tag}', 'Test Air', 'FLAT', 1500, NULL, 5, 9)`,
      [methods.deFlat, methods.deTiny, methods.jp, zones.de, zones.jp],
    );
    await db.query(
      `INSERT INTO discount_codes (id, code, kind, value, min_subtotal, starts_at, ends_at, usage_limit, used)
       VALUES (gen_random_uuid(), $1, 'PERCENTAGE', 1000, 0, now() - interval '1 day', NULL, NULL, 0),
              (gen_random_uuid(), $2, 'PERCENTAGE', 1000, 0, now() - interval '2 days', now() - interval '1 day', NULL, 0),
              (gen_random_uuid(), $3, 'PERCENTAGE', 1000, 0, now() + interval '1 day', NULL, NULL, 0),
              (gen_random_uuid(), $4, 'FIXED_AMOUNT', 500, 100000000, now() - interval '1 day', NULL, NULL, 0),
              (gen_random_uuid(), $5, 'PERCENTAGE', 1000, 0, now() - interval '1 day', NULL, 1, 1)`,
      [codes.percent, codes.expired, codes.future, codes.minimum, codes.usedUp],
    );
  });
  supergraph = await startSupergraph(env);
});

afterAll(async () => {
  await supergraph?.close();
  await withServiceDb(env, 'order', async (db) => {
    await db.query(
      `DELETE FROM discount_codes c WHERE code = ANY($1) AND NOT EXISTS (SELECT 1 FROM discount_uses u WHERE u.code_id = c.id)`,
      [Object.values(codes)],
    );
    await db.query(`DELETE FROM shipping_methods WHERE id = ANY($1::uuid[])`, [
      Object.values(methods),
    ]);
    await db.query(`DELETE FROM shipping_zones WHERE id = ANY($1::uuid[])`, [Object.values(zones)]);
  });
});

describe('the cart before any checkout choice', () => {
  it('has zero totals in the store currency, no options and no choices', async () => {
    const me = await newCustomer();
    const res = await me.call(`query { cart ${CART} }`);
    expect(res.errors).toBeUndefined();
    const zero = { amount: '0.00', currency };
    expect(res.data.cart).toMatchObject({
      itemCount: 0,
      totals: { subtotal: zero, discount: zero, shipping: zero, tax: zero, total: zero },
      shippingAddress: null,
      shippingMethod: null,
      shippingOptions: [],
      discountCode: null,
      discountProblem: null,
      items: [],
    });
  });
});

describe('setCartShippingAddress', () => {
  it('keeps a copy of the customer’s own address: editing the address book does not change it', async () => {
    const me = await newCustomer();
    const address = await addAddress(me, ADDRESSES.DE);
    let res = await me.call(SET_ADDRESS, { id: address.id });
    expect(res.errors).toBeUndefined();
    expect(res.data.setCartShippingAddress.shippingAddress).toEqual(address);
    expect((await storedChoices(me.identity.userId)).address).toEqual(address);
    // The address book changes; the cart's copy does not, until the address is chosen again.
    const edited = await me.call(
      `mutation ($id: ID!, $input: AddressInput!) { updateAddress(id: $id, input: $input) { recipient } }`,
      { id: address.id, input: { ...ADDRESSES.DE, recipient: 'Uta Fischer' } },
    );
    expect(edited.errors).toBeUndefined();
    res = await me.call(`query { cart { shippingAddress { ${ADDRESS_FIELDS} } } }`);
    expect(res.data.cart.shippingAddress.recipient).toBe('Uta Angler');
    res = await me.call(SET_ADDRESS, { id: address.id });
    expect(res.data.setCartShippingAddress.shippingAddress.recipient).toBe('Uta Fischer');
  });

  it("refuses another customer's address as NOT_FOUND, like one that does not exist, and writes nothing", async () => {
    const me = await newCustomer();
    const other = await newCustomer();
    const theirs = await addAddress(other, ADDRESSES.DE);
    for (const id of [theirs.id, randomUUID()]) {
      const res = await me.call(SET_ADDRESS, { id });
      expect(refusal(res)).toEqual({
        code: 'NOT_FOUND',
        field: 'addressId',
        message: 'No such address',
      });
      expect(res.data).toBeNull();
    }
    expect(refusal(await me.call(SET_ADDRESS, { id: 'not-an-id' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'addressId',
    });
    expect(await storedChoices(me.identity.userId)).toBeNull();
    // And a refusal leaves a cart that has choices exactly as it was.
    const mine = await addAddress(me, ADDRESSES.JP);
    await me.call(SET_ADDRESS, { id: mine.id });
    const before = await storedChoices(me.identity.userId);
    await me.call(SET_ADDRESS, { id: theirs.id });
    expect(await storedChoices(me.identity.userId)).toEqual(before);
  });

  it('drops a chosen method that does not ship to the new address, keeps one that does', async () => {
    const me = await newCustomer();
    await me.call(ADD, { p: rod, q: 1 });
    const berlin = await addAddress(me, ADDRESSES.DE);
    const hamburg = await addAddress(me, ADDRESSES.DE2);
    const tokyo = await addAddress(me, ADDRESSES.JP);
    await me.call(SET_ADDRESS, { id: berlin.id });
    expect((await me.call(SET_METHOD, { id: methods.deFlat })).errors).toBeUndefined();
    let res = await me.call(SET_ADDRESS, { id: hamburg.id });
    expect(res.data.setCartShippingAddress.shippingMethod?.id).toBe(methods.deFlat);
    res = await me.call(SET_ADDRESS, { id: tokyo.id });
    expect(res.errors).toBeUndefined();
    expect(res.data.setCartShippingAddress).toMatchObject({
      shippingAddress: { id: tokyo.id, country: 'JP' },
      shippingMethod: null,
      totals: { shipping: { amount: '0.00' } },
    });
    expect(res.data.setCartShippingAddress.shippingOptions.map((o: any) => o.method.id)).toContain(
      methods.jp,
    );
    expect((await storedChoices(me.identity.userId)).methodId).toBeNull();
  });
});

describe('setCartShippingMethod', () => {
  it('needs a shipping address first', async () => {
    const me = await newCustomer();
    await me.call(ADD, { p: rod, q: 1 });
    const res = await me.call(SET_METHOD, { id: methods.deFlat });
    expect(refusal(res)).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'methodId',
      message: 'Choose a shipping address first',
    });
    expect(await storedChoices(me.identity.userId)).toBeNull();
  });

  it("refuses another zone's method, an unknown one, one the cart is too heavy for, and writes nothing", async () => {
    const me = await newCustomer();
    await me.call(ADD, { p: lure, q: 2 });
    const berlin = await addAddress(me, ADDRESSES.DE);
    await me.call(SET_ADDRESS, { id: berlin.id });
    const before = await storedChoices(me.identity.userId);
    for (const id of [methods.jp, randomUUID(), methods.deTiny]) {
      const res = await me.call(SET_METHOD, { id });
      expect(refusal(res)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'methodId' });
      expect(refusal(res).message).toMatch(/\w/);
      expect(res.data).toBeNull();
    }
    expect(refusal(await me.call(SET_METHOD, { id: 'nope' }))).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'methodId',
    });
    expect(await storedChoices(me.identity.userId)).toEqual(before);
  });

  it('chooses a method that ships there: the cart shows it and its shipping charge', async () => {
    const me = await newCustomer();
    await me.call(ADD, { p: rod, q: 1 });
    const berlin = await addAddress(me, ADDRESSES.DE);
    const options = (await me.call(SET_ADDRESS, { id: berlin.id })).data.setCartShippingAddress
      .shippingOptions;
    expect(options).toContainEqual({
      method: { id: methods.deFlat, name: `Test flat ${tag}`, carrier: 'Test Post' },
      price: { amount: '7.00', currency },
      estimatedDays: { min: 2, max: 4 },
    });
    expect(options.map((o: any) => o.method.id)).not.toContain(methods.jp);
    const res = await me.call(SET_METHOD, { id: methods.deFlat });
    expect(res.errors).toBeUndefined();
    const cart = res.data.setCartShippingMethod;
    expect(cart.shippingMethod).toEqual({
      id: methods.deFlat,
      name: `Test flat ${tag}`,
      carrier: 'Test Post',
    });
    expect(cart.totals.shipping).toEqual({ amount: '7.00', currency });
    expect(cents(cart.totals.tax)).toBeGreaterThan(0); // Germany taxes the shipping at least
    expectConsistent(cart);
    expect((await storedChoices(me.identity.userId)).methodId).toBe(methods.deFlat);
  });
});

describe('applyDiscountCode and removeDiscountCode', () => {
  it('refuses unknown, expired, not yet valid, below-minimum and used-up codes with their reasons', async () => {
    const me = await newCustomer();
    await me.call(ADD, { p: rod, q: 1 });
    const cases: [string, string, RegExp][] = [
      [`CT${tag}NOPE`, 'BAD_USER_INPUT', /There is no discount code/],
      [codes.expired, 'BAD_USER_INPUT', /expired/],
      [codes.future, 'BAD_USER_INPUT', /valid from/],
      [codes.minimum, 'BAD_USER_INPUT', /needs a subtotal of at least/],
      [codes.usedUp, 'CONFLICT', /used up/],
    ];
    for (const [code, expected, message] of cases) {
      const res = await me.call(APPLY, { code });
      expect(refusal(res), code).toMatchObject({ code: expected, field: 'code' });
      expect(refusal(res).message, code).toMatch(message);
      expect(res.data).toBeNull();
    }
    for (const code of ['', '   ', 'X'.repeat(41)])
      expect(refusal(await me.call(APPLY, { code }))).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'code',
      });
    expect(await storedChoices(me.identity.userId)).toBeNull();
  });

  it('applies a valid code in any case and spacing, shows its discount, and removes it', async () => {
    const me = await newCustomer();
    await me.call(ADD, { p: rod, q: 2 });
    await me.call(ADD, { p: lure, q: 1 });
    let res = await me.call(APPLY, { code: `  ${codes.percent.toLowerCase()} ` });
    expect(res.errors).toBeUndefined();
    let cart = res.data.applyDiscountCode;
    expect(cart.discountCode).toBe(codes.percent);
    expect(cart.discountProblem).toBeNull();
    expect(cart.totals.subtotal.amount).toBe('45.00');
    expect(cart.totals.discount).toEqual({ amount: '4.50', currency });
    expectConsistent(cart);
    expect((await storedChoices(me.identity.userId)).code).toBe(codes.percent);

    res = await me.call(REMOVE_CODE);
    cart = res.data.removeDiscountCode;
    expect([cart.discountCode, cart.totals.discount.amount]).toEqual([null, '0.00']);
    expect((await me.call(REMOVE_CODE)).errors).toBeUndefined(); // none held: no error
    expect((await storedChoices(me.identity.userId)).code).toBeNull();
  });

  it('keeps a code that stopped applying, says why, and takes nothing off', async () => {
    const me = await newCustomer();
    await me.call(ADD, { p: rod, q: 1 });
    const code = `CT${tag}LATE`;
    await withServiceDb(env, 'order', (db) =>
      db.query(
        `INSERT INTO discount_codes (id, code, kind, value, starts_at) VALUES (gen_random_uuid(), $1, 'PERCENTAGE', 1000, now() - interval '1 day')`,
        [code],
      ),
    );
    try {
      expect((await me.call(APPLY, { code })).errors).toBeUndefined();
      await withServiceDb(env, 'order', (db) =>
        db.query(
          `UPDATE discount_codes SET ends_at = now() - interval '1 minute' WHERE code = $1`,
          [code],
        ),
      );
      const cart = (await me.call(`query { cart ${CART} }`)).data.cart;
      expect(cart.discountCode).toBe(code);
      expect(cart.discountProblem).toMatch(/expired/);
      expect(cart.totals.discount.amount).toBe('0.00');
      expectConsistent(cart);
    } finally {
      await withServiceDb(env, 'order', (db) =>
        db.query(`DELETE FROM discount_codes WHERE code = $1`, [code]),
      );
    }
  });
});

describe('the whole checkout in the cart', () => {
  it('adds up: subtotal - discount + shipping (+ tax in NET) = total, and clearCart keeps the choices', async () => {
    const me = await newCustomer();
    await me.call(ADD, { p: rod, q: 3 });
    await me.call(ADD, { p: lure, q: 1 });
    const berlin = await addAddress(me, ADDRESSES.DE);
    await me.call(SET_ADDRESS, { id: berlin.id });
    await me.call(SET_METHOD, { id: methods.deFlat });
    const cart = (await me.call(APPLY, { code: codes.percent })).data.applyDiscountCode;
    expect(cart.totals).toMatchObject({
      subtotal: { amount: '65.00' },
      discount: { amount: '6.50' },
      shipping: { amount: '7.00' },
    });
    expect(cents(cart.totals.tax)).toBeGreaterThan(0);
    expectConsistent(cart);

    const cleared = await me.call(`mutation { clearCart ${CART} }`);
    expect(cleared.errors).toBeUndefined();
    expect(cleared.data.clearCart).toMatchObject({
      itemCount: 0,
      shippingAddress: { id: berlin.id },
      shippingMethod: { id: methods.deFlat },
      discountCode: codes.percent,
      totals: { subtotal: { amount: '0.00' }, discount: { amount: '0.00' } },
    });
    expect(cleared.data.clearCart.discountProblem).toMatch(/empty cart/);
  });

  it('answers the order service’s placement read (as the customer, with the internal secret)', async () => {
    const me = await newCustomer();
    await me.call(ADD, { p: lure, q: 2 });
    const berlin = await addAddress(me, ADDRESSES.DE);
    await me.call(SET_ADDRESS, { id: berlin.id });
    await me.call(SET_METHOD, { id: methods.deFlat });
    await me.call(APPLY, { code: codes.percent });
    // What SubgraphClient sends for `request(query, {}, { as: customer })`: a signed identity.
    const res = await graphql<any>(
      supergraph.subgraphUrls.cart,
      `query OrderCartCheckout { cart { items { quantity product { id } }
        shippingAddress { ${ADDRESS_FIELDS} } shippingMethod { id } discountCode } }`,
      {},
      { [IDENTITY_HEADER]: signIdentity(me.identity, TEST_INTERNAL_SECRET) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.cart).toEqual({
      items: [{ quantity: 2, product: { id: lure } }],
      shippingAddress: berlin,
      shippingMethod: { id: methods.deFlat },
      discountCode: codes.percent,
    });
  });
});

describe('asking the order service for prices', () => {
  /** A pass-through to the order subgraph that counts checkoutQuote calls. */
  async function countingOrderProxy() {
    const target = new URL(supergraph.subgraphUrls.order);
    let quotes = 0;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        if (body.toString().includes('checkoutQuote')) quotes++;
        const upstream = http.request(
          target,
          { method: 'POST', headers: { ...req.headers, host: target.host } },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', () => res.destroy());
        upstream.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
      quotes: () => quotes,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }

  async function cartServiceWith(orderUrl: string) {
    return startCartService(
      loadCartConfig({
        HOST: '127.0.0.1',
        PORT: '0',
        INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET,
        DATABASE_URL: env.databaseUrl('cart'),
        REDIS_URL: env.stack.redis.url,
        CATALOG_URL: supergraph.subgraphUrls.catalog,
        USER_URL: supergraph.subgraphUrls.user,
        ORDER_URL: orderUrl,
        PEER_TIMEOUT_MS: '2000',
      }),
      createLogger('test', 'silent'),
    );
  }

  it('asks once per cart view, and only when a priced field is selected', async () => {
    const me = await newCustomer();
    await me.call(ADD, { p: rod, q: 1 });
    await me.call(ADD, { p: lure, q: 1 });
    const berlin = await addAddress(me, ADDRESSES.DE);
    await me.call(SET_ADDRESS, { id: berlin.id });
    await me.call(SET_METHOD, { id: methods.deFlat });
    await me.call(APPLY, { code: codes.percent });
    const proxy = await countingOrderProxy();
    const cart = await cartServiceWith(proxy.url);
    try {
      const headers = { [IDENTITY_HEADER]: signIdentity(me.identity, TEST_INTERNAL_SECRET) };
      const ask = (query: string) => graphql<any>(`${cart.url}/graphql`, query, {}, headers);
      const priced = await ask(`query { cart ${CART} }`);
      expect(priced.errors).toBeUndefined();
      expectConsistent(priced.data.cart);
      expect(proxy.quotes()).toBe(1);
      const plain = await ask(
        `query { cart { itemCount items { quantity } shippingAddress { id } discountCode } }`,
      );
      expect(plain.errors).toBeUndefined();
      expect(plain.data.cart.discountCode).toBe(codes.percent);
      expect(proxy.quotes()).toBe(1);
      // A mutation's answer is one more view: one more quote for it (plus the mutation's own).
      const applied = await graphql<any>(
        `${cart.url}/graphql`,
        `mutation ($code: String!) { applyDiscountCode(code: $code) ${CART} }`,
        { code: codes.percent },
        headers,
      );
      expect(applied.errors).toBeUndefined();
      expect(proxy.quotes()).toBe(3);
    } finally {
      await cart.close();
      await proxy.close();
    }
  });

  it('still serves lines and choices when the order service is down; prices fail as internal errors', async () => {
    const me = await newCustomer();
    await me.call(ADD, { p: rod, q: 1 });
    const berlin = await addAddress(me, ADDRESSES.DE);
    await me.call(SET_ADDRESS, { id: berlin.id });
    const cart = await cartServiceWith('http://127.0.0.1:9/graphql'); // nothing listens there
    try {
      const headers = { [IDENTITY_HEADER]: signIdentity(me.identity, TEST_INTERNAL_SECRET) };
      const ask = (query: string) => graphql<any>(`${cart.url}/graphql`, query, {}, headers);
      const plain = await ask(`query { cart { itemCount shippingAddress { id } discountCode } }`);
      expect(plain.errors).toBeUndefined();
      expect(plain.data.cart.shippingAddress.id).toBe(berlin.id);
      const priced = await ask(`query { cart { totals { total { amount } } } }`);
      expect(priced.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
        ['INTERNAL_SERVER_ERROR', 'Internal server error'],
      ]);
      const before = await storedChoices(me.identity.userId);
      const method = await graphql<any>(
        `${cart.url}/graphql`,
        `
          mutation ($id: ID!) {
            setCartShippingMethod(methodId: $id) {
              itemCount
            }
          }
        `,
        { id: methods.deFlat },
        headers,
      );
      expect(method.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(await storedChoices(me.identity.userId)).toEqual(before);
    } finally {
      await cart.close();
    }
  });
});
