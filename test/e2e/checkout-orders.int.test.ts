/**
 * Orders placed through the checkout, through the gateway on the test databases: what the order
 * keeps when rates, codes and the address book change later; customers racing for the last uses
 * of a code; a cancelled order giving its use back once; and the refusals at placement, which
 * write nothing.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Identity } from '@shop/auth';
import { SEEDED_METHODS } from '@shop/seed';
import {
  ensureAccount,
  graphql,
  loadFixtureStore,
  prepareCheckout,
  startSupergraph,
  testEnv,
  withServiceDb,
  type RunningSupergraph,
} from '@shop/testing';
import { applyOrderEvent } from '../../subgraphs/order/src/data/saga-writes.ts';

const env = testEnv(inject('stack'));
let supergraph: RunningSupergraph;
let productId: string;
let withdrawnId: string;
const tag = randomUUID().slice(0, 6).toUpperCase();

const ORDER = `id status discountCode
  totals { subtotal { amount } discount { amount } shipping { amount } tax { amount } total { amount } }
  shippingAddress { recipient line1 city postalCode country }
  shippingMethod { id name carrier }
  shippingOption { price { amount } estimatedDays { min max } }
  items { quantity tax { amount } discount { amount } }`;
const PLACE = `mutation ($k: String!) { placeOrder(idempotencyKey: $k) { ${ORDER} } }`;
const ADD = `mutation ($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { itemCount } }`;

const customer = (): Identity => ({ userId: randomUUID(), role: 'CUSTOMER' });
async function as(who: Identity, query: string, variables: Record<string, unknown> = {}) {
  return graphql<any>(supergraph.gatewayUrl, query, variables, await supergraph.authAs(who));
}
async function ok(who: Identity, query: string, variables: Record<string, unknown> = {}) {
  const res = await as(who, query, variables);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data;
}
const sql = <R extends pg.QueryResultRow = any>(text: string, values: unknown[] = []) =>
  withServiceDb(env, 'order', (db) => db.query<R>(text, values));

async function newCode(fields: { kind: string; value: number; usageLimit?: number }) {
  const code = `T${randomUUID().slice(0, 8).toUpperCase()}`;
  await sql(
    `INSERT INTO discount_codes (id, code, kind, value, usage_limit) VALUES (gen_random_uuid(), $1, $2, $3, $4)`,
    [code, fields.kind, fields.value, fields.usageLimit ?? null],
  );
  return code;
}
const usedOf = async (code: string) =>
  (await sql<{ used: number }>(`SELECT used FROM discount_codes WHERE code = $1`, [code])).rows[0]!
    .used;

/** A customer with two units in the cart, ready to place (DE address, EU standard). */
async function shopper(options: { discountCode?: string } = {}) {
  const me = customer();
  await ok(me, ADD, { p: productId, q: 2 });
  const { addressId } = await prepareCheckout(
    supergraph,
    { userId: me.userId, token: await supergraph.tokenFor(me) },
    {
      country: 'DE',
      ...options,
    },
  );
  return { me, addressId };
}

beforeAll(async () => {
  const store = await loadFixtureStore(env);
  productId = store.products[0]!.id;
  withdrawnId = store.products[1]!.id;
  await withServiceDb(env, 'catalog', (db) =>
    db.query(
      `UPDATE products SET stock = 1000000, price = 20.00, tax_class = 'STANDARD', weight_grams = 300 WHERE id = $1`,
      [productId],
    ),
  );
  supergraph = await startSupergraph(env);
});
afterAll(async () => {
  await supergraph?.close();
});

describe('an order keeps its checkout', () => {
  it('keeps its figures, address and method when rates, the code and the address book change', async () => {
    const code = await newCode({ kind: 'PERCENTAGE', value: 1000 });
    const { me, addressId } = await shopper({ discountCode: code });
    const { placeOrder: placed } = await ok(me, PLACE, { k: `snap-${tag}-${randomUUID()}` });
    // 2 x 20.00 = 40.00, 10 % off = 4.00; EU standard up to 500 g... 600 g is the 2 kg tier 14.99;
    // DE 19 % on 36.00 = 6.84 and on 14.99 = 2.85 (2.8481).
    expect(placed).toMatchObject({
      discountCode: code,
      totals: {
        subtotal: { amount: '40.00' },
        discount: { amount: '4.00' },
        shipping: { amount: '14.99' },
        tax: { amount: '9.69' },
        total: { amount: '60.68' },
      },
      shippingAddress: {
        recipient: 'Uta Angler',
        city: 'Berlin',
        postalCode: '10115',
        country: 'DE',
      },
      shippingMethod: { id: SEEDED_METHODS.euStandard, carrier: 'DHL' },
      shippingOption: { price: { amount: '14.99' }, estimatedDays: { min: 5, max: 10 } },
    });
    try {
      await sql(
        `UPDATE tax_rates SET rate_bp = 2500 WHERE country = 'DE' AND tax_class = 'STANDARD'`,
      );
      await sql(
        `UPDATE shipping_methods SET weight_tiers = '[{"upToGrams": null, "amount": 100}]' WHERE id = $1`,
        [SEEDED_METHODS.euStandard],
      );
      await sql(`UPDATE discount_codes SET value = 9000, disabled_at = now() WHERE code = $1`, [
        code,
      ]);
      await ok(
        me,
        `mutation ($id: ID!, $a: AddressInput!) { updateAddress(id: $id, input: $a) { id } }`,
        {
          id: addressId,
          a: {
            recipient: 'Someone Else',
            phone: '+49 30 7654321',
            line1: 'Anderswo 9',
            city: 'Hamburg',
            postalCode: '20095',
            country: 'DE',
          },
        },
      );
      const { order } = await ok(me, `query ($id: ID!) { order(id: $id) { ${ORDER} } }`, {
        id: placed.id,
      });
      expect(order).toEqual(placed);
    } finally {
      await sql(
        `UPDATE tax_rates SET rate_bp = 1900 WHERE country = 'DE' AND tax_class = 'STANDARD'`,
      );
      await sql(
        `UPDATE shipping_methods SET weight_tiers = '[{"upToGrams": 500, "amount": 999}, {"upToGrams": 2000, "amount": 1499}, {"upToGrams": null, "amount": 2499}]' WHERE id = $1`,
        [SEEDED_METHODS.euStandard],
      );
    }
  });

  it('authorizes the payment for the total with tax and shipping (OrderPlaced carries it)', async () => {
    const { me } = await shopper();
    const { placeOrder } = await ok(me, PLACE, { k: `paid-${randomUUID()}` });
    const { rows } = await sql<{ payload: any }>(
      `SELECT payload FROM outbox_events WHERE aggregate_id = $1 AND type = 'OrderPlaced'`,
      [placeOrder.id],
    );
    expect(rows[0]!.payload).toMatchObject({
      total: { amount: placeOrder.totals.total.amount },
      totals: {
        subtotal: { amount: placeOrder.totals.subtotal.amount },
        shipping: { amount: placeOrder.totals.shipping.amount },
        tax: { amount: placeOrder.totals.tax.amount },
        priceMode: 'NET',
      },
      shippingCountry: 'DE',
    });
  });
});

describe('discount code uses', () => {
  it('20 customers racing for a code with 5 uses left: exactly 5 orders get it', async () => {
    const code = await newCode({ kind: 'FIXED_AMOUNT', value: 100, usageLimit: 8 });
    await sql(`UPDATE discount_codes SET used = 3 WHERE code = $1`, [code]);
    const shoppers = await Promise.all(
      Array.from({ length: 20 }, () => shopper({ discountCode: code })),
    );
    const results = await Promise.all(
      shoppers.map(({ me }) => as(me, PLACE, { k: `race-${randomUUID()}` })),
    );
    const placed = results.filter((r) => !r.errors);
    const refused = results.filter((r) => r.errors);
    expect(placed).toHaveLength(5);
    expect(placed.every((r) => r.data.placeOrder.discountCode === code)).toBe(true);
    expect(refused.map((r) => r.errors?.[0]?.extensions?.code)).toEqual(Array(15).fill('CONFLICT'));
    expect(await usedOf(code)).toBe(8);
    const { rows } = await sql(
      `SELECT count(*)::int AS n FROM discount_uses u JOIN discount_codes c ON c.id = u.code_id WHERE c.code = $1`,
      [code],
    );
    expect(rows[0].n).toBe(5);
  });

  it('a cancelled order gives its use back once, even when the cancellation comes twice', async () => {
    const code = await newCode({ kind: 'FIXED_AMOUNT', value: 100, usageLimit: 10 });
    const { me } = await shopper({ discountCode: code });
    const { placeOrder } = await ok(me, PLACE, { k: `give-back-${randomUUID()}` });
    expect(await usedOf(code)).toBe(1);
    await ok(me, `mutation ($id: ID!) { cancelOrder(id: $id) { status } }`, { id: placeOrder.id });
    expect(await usedOf(code)).toBe(0);
    // The same cancellation again, as a redelivered event reaches the saga's status writes.
    await withServiceDb(env, 'order', async (db) => {
      await db.query('BEGIN');
      await applyOrderEvent(db, placeOrder.id, { type: 'CANCEL', reason: 'again' });
      await db.query('COMMIT');
    });
    expect(
      (
        await as(me, `mutation ($id: ID!) { cancelOrder(id: $id) { status } }`, {
          id: placeOrder.id,
        })
      ).errors?.[0]?.extensions?.code,
    ).toBe('CONFLICT');
    expect(await usedOf(code)).toBe(0);
    const { rows } = await sql(`SELECT released_at FROM discount_uses WHERE order_id = $1`, [
      placeOrder.id,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0].released_at).toBeInstanceOf(Date);
  });
});

describe('a cart is ordered once', () => {
  it('a second key before the cart is emptied gets CONFLICT; a changed cart may be ordered', async () => {
    const { me } = await shopper();
    const first = await ok(me, PLACE, { k: `once-a-${randomUUID()}` });
    // No cart worker runs here: the cart still holds the lines, as in the moment after placing.
    const second = await as(me, PLACE, { k: `once-b-${randomUUID()}` });
    expect(second.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(second.errors?.[0]?.message).toMatch(/just been ordered/);
    const { rows } = await sql(`SELECT id FROM orders WHERE user_id = $1`, [me.userId]);
    expect(rows.map((r: { id: string }) => r.id)).toEqual([first.placeOrder.id]);
    await ok(me, ADD, { p: productId, q: 1 });
    const third = await ok(me, PLACE, { k: `once-c-${randomUUID()}` });
    expect(third.placeOrder.id).not.toBe(first.placeOrder.id);
  });

  it('two keys at once: exactly one order', async () => {
    const { me } = await shopper();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => as(me, PLACE, { k: `burst-${i}-${randomUUID()}` })),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.filter((r) => r.errors).map((r) => r.errors?.[0]?.extensions?.code)).toEqual(
      Array(5).fill('CONFLICT'),
    );
  });
});

describe('placeOrder refuses an incomplete or stale checkout and writes nothing', () => {
  const ordersOf = async (userId: string) =>
    (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE user_id = $1`, [userId]))
      .rows[0]!.n;

  it('without an address, then without a method', async () => {
    const me = customer();
    await ok(me, ADD, { p: productId, q: 1 });
    await ensureAccount(supergraph.userDbUrl, me.userId);
    const noAddress = await as(me, PLACE, { k: `no-address-${randomUUID()}` });
    expect(noAddress.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'shippingAddress',
    });
    expect(noAddress.errors?.[0]?.message).toMatch(/shipping address/);
    const { addAddress } = await ok(
      me,
      `mutation ($a: AddressInput!) { addAddress(input: $a) { id } }`,
      {
        a: {
          recipient: 'Sam',
          phone: '+1 555 0100',
          line1: '1 Lake Rd',
          city: 'Springfield',
          postalCode: '62701',
          country: 'US',
        },
      },
    );
    await ok(me, `mutation ($id: ID!) { setCartShippingAddress(addressId: $id) { itemCount } }`, {
      id: addAddress.id,
    });
    const noMethod = await as(me, PLACE, { k: `no-method-${randomUUID()}` });
    expect(noMethod.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'shippingMethod',
    });
    expect(noMethod.errors?.[0]?.message).toMatch(/shipping method/);
    expect(await ordersOf(me.userId)).toBe(0);
  });

  it('with a product the seller withdrew after it was added', async () => {
    const { me } = await shopper();
    await ok(me, ADD, { p: withdrawnId, q: 1 });
    await withServiceDb(env, 'catalog', (db) =>
      db.query(`UPDATE products SET deleted_at = now() WHERE id = $1`, [withdrawnId]),
    );
    try {
      const res = await as(me, PLACE, { k: `withdrawn-${randomUUID()}` });
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'NOT_FOUND',
        productId: withdrawnId,
      });
      expect(res.errors?.[0]?.message).toMatch(/no longer sold/);
      expect(await ordersOf(me.userId)).toBe(0);
    } finally {
      await withServiceDb(env, 'catalog', (db) =>
        db.query(`UPDATE products SET deleted_at = NULL WHERE id = $1`, [withdrawnId]),
      );
    }
  });

  it('with a code that expired after it was applied', async () => {
    const code = await newCode({ kind: 'PERCENTAGE', value: 500 });
    const { me } = await shopper({ discountCode: code });
    await sql(`UPDATE discount_codes SET ends_at = now() - interval '1 second' WHERE code = $1`, [
      code,
    ]);
    const res = await as(me, PLACE, { k: `expired-${randomUUID()}` });
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'discountCode',
    });
    expect(res.errors?.[0]?.message).toMatch(/expired/);
    expect(await ordersOf(me.userId)).toBe(0);
    expect(await usedOf(code)).toBe(0);
  });
});
