/**
 * The pricing test vectors (@shop/pricing/fixtures: carts with hand-worked cents) run through
 * the gateway: the fixture store is written into the test databases (products with their
 * weights, tax classes and categories, the tax table, zones and methods, the codes), then each
 * cart is built, given its address, method and code as a shopper does, and its totals read from
 * the cart and from the order placed from it. Cart, order and the pure calculator must agree to
 * the cent.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Identity } from '@shop/auth';
import {
  DISCOUNT_REFUSAL_VECTORS,
  FIXTURE_CURRENCY,
  FIXTURE_DISCOUNT_CODES,
  FIXTURE_NOW,
  FIXTURE_PRODUCTS,
  FIXTURE_SHIPPING,
  FIXTURE_TAX_TABLE,
  PRICING_VECTORS,
  type PricingVector,
} from '@shop/pricing/fixtures';
import { DISCOUNT_REFUSAL_CONTRACT_CODES, fromMinorUnits } from '@shop/pricing';
import {
  ensureAccount,
  graphql,
  startSupergraph,
  testEnv,
  withServiceDb,
  type RunningSupergraph,
} from '@shop/testing';

const env = testEnv(inject('stack'));
let supergraph: RunningSupergraph;
/** Fixture keys (products, categories, zones, methods) -> the ids written for them. */
const ids = new Map<string, string>();
const idOf = (key: string) => {
  const id = ids.get(key);
  if (!id) throw new Error(`no id for fixture key ${key}`);
  return id;
};
const tag = randomUUID().slice(0, 6).toUpperCase();
/** Codes get a per-run suffix: the test database outlives runs and codes are unique. */
const codeName = (code: string) => `${code}-${tag}`;
let savedSettings: { price_mode: string; currency: string };

const ADDRESSES: Record<string, Record<string, string>> = {
  DE: {
    recipient: 'Uta',
    phone: '+49 30 1234567',
    line1: 'Seestr. 1',
    city: 'Berlin',
    postalCode: '10115',
    country: 'DE',
  },
  FR: {
    recipient: 'Luc',
    phone: '+33 1 23 45 67 89',
    line1: '1 rue du Lac',
    city: 'Paris',
    postalCode: '75001',
    country: 'FR',
  },
  SE: {
    recipient: 'Sven',
    phone: '+46 8 123 456',
    line1: 'Sjövägen 1',
    city: 'Stockholm',
    postalCode: '111 22',
    country: 'SE',
  },
};

const money = (minor: number) => fromMinorUnits(minor, FIXTURE_CURRENCY);
const TOTALS = `totals { subtotal { amount currency } discount { amount currency } shipping { amount currency } tax { amount currency } total { amount currency } }`;

async function as(who: Identity, query: string, variables: Record<string, unknown> = {}) {
  const res = await graphql<any>(
    supergraph.gatewayUrl,
    query,
    variables,
    await supergraph.authAs(who),
  );
  return res;
}
async function ok(who: Identity, query: string, variables: Record<string, unknown> = {}) {
  const res = await as(who, query, variables);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data;
}

/** Shifts a fixture instant by as much as now is after FIXTURE_NOW: validity windows keep their place. */
const shifted = (instant: string | null) =>
  instant && new Date(Date.parse(instant) + Date.now() - Date.parse(FIXTURE_NOW));

beforeAll(async () => {
  await withServiceDb(env, 'catalog', async (db) => {
    const seller = randomUUID();
    await db.query(`INSERT INTO sellers (id, slug, name) VALUES ($1, $2, 'Fixture seller')`, [
      seller,
      `fixture-${tag}`,
    ]);
    const categories = new Map<string, string | null>();
    for (const p of FIXTURE_PRODUCTS) {
      const [parent] = p.ancestorCategoryIds ?? [];
      categories.set(p.categoryId, parent ?? null);
      if (parent && !categories.has(parent)) categories.set(parent, null);
    }
    // Parents first.
    const ordered = [...categories].sort(
      ([, a], [, b]) => (a === null ? -1 : 0) - (b === null ? -1 : 0),
    );
    for (const [key, parent] of ordered) {
      ids.set(key, randomUUID());
      await db.query(`INSERT INTO categories (id, slug, name, parent_id) VALUES ($1, $2, $3, $4)`, [
        idOf(key),
        `${key}-${tag}`.toLowerCase(),
        key,
        parent ? idOf(parent) : null,
      ]);
    }
    for (const p of FIXTURE_PRODUCTS) {
      ids.set(p.productId, randomUUID());
      await db.query(
        `INSERT INTO products (id, sku, name, price, currency, stock, weight_grams, tax_class, category_id, seller_id, updated_at)
         VALUES ($1, $2, $3, $4::numeric / 100, $5, 1000000, $6, $7, $8, $9, now())`,
        [
          idOf(p.productId),
          `${p.productId}-${tag}`,
          p.name,
          p.price,
          FIXTURE_CURRENCY,
          // The catalog keeps weights from 1 g; the 0 g gift card is only in a flat-rate vector.
          Math.max(1, p.weightGrams),
          p.taxClass,
          idOf(p.categoryId),
          seller,
        ],
      );
    }
  });
  await withServiceDb(env, 'order', async (db) => {
    savedSettings = (await db.query(`SELECT price_mode, currency FROM store_settings WHERE id = 1`))
      .rows[0];
    for (const [country, rates] of Object.entries(FIXTURE_TAX_TABLE))
      for (const [taxClass, rate] of Object.entries(rates))
        await db.query(
          `INSERT INTO tax_rates (country, tax_class, rate_bp) VALUES ($1, $2, $3)
           ON CONFLICT (country, tax_class) DO UPDATE SET rate_bp = EXCLUDED.rate_bp`,
          [country, taxClass, rate],
        );
    for (const zone of FIXTURE_SHIPPING.zones) {
      ids.set(`zone:${zone.id}`, randomUUID());
      await db.query(`INSERT INTO shipping_zones (id, name, countries) VALUES ($1, $2, $3)`, [
        idOf(`zone:${zone.id}`),
        `${zone.name} ${tag}`,
        zone.countries,
      ]);
    }
    for (const m of FIXTURE_SHIPPING.methods) {
      ids.set(m.id, randomUUID());
      await db.query(
        `INSERT INTO shipping_methods (id, zone_id, name, carrier, rate_kind, flat_amount, weight_tiers, free_above, min_days, max_days)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          idOf(m.id),
          idOf(`zone:${m.zoneId}`),
          m.name,
          m.carrier,
          m.rate.kind,
          m.rate.kind === 'FLAT' ? m.rate.amount : null,
          m.rate.kind === 'BY_WEIGHT' ? JSON.stringify(m.rate.tiers) : null,
          m.freeAbove,
          m.estimatedDays.min,
          m.estimatedDays.max,
        ],
      );
    }
    for (const c of FIXTURE_DISCOUNT_CODES) {
      const scope = c.appliesTo;
      await db.query(
        `INSERT INTO discount_codes (id, code, kind, value, min_subtotal, starts_at, ends_at, usage_limit,
           per_customer_limit, category_ids, product_ids, disabled_at)
         VALUES (gen_random_uuid(), $1, $2, $3, $4, coalesce($5, now() - interval '1 year'), $6, $7, $8, $9, $10, $11)`,
        [
          codeName(c.code),
          c.benefit.kind,
          c.benefit.kind === 'PERCENTAGE'
            ? c.benefit.basisPoints
            : c.benefit.kind === 'FIXED_AMOUNT'
              ? c.benefit.amount
              : 0,
          c.minSubtotal ?? 0,
          shifted(c.startsAt),
          shifted(c.endsAt),
          c.usageLimit,
          c.perCustomerLimit,
          scope.kind === 'CATEGORIES' ? scope.categoryIds.map(idOf) : [],
          scope.kind === 'PRODUCTS' ? scope.productIds.map(idOf) : [],
          c.disabled ? new Date() : null,
        ],
      );
    }
  });
  supergraph = await startSupergraph(env);
});

afterAll(async () => {
  await supergraph?.close();
  if (savedSettings)
    await withServiceDb(env, 'order', (db) =>
      db.query(`UPDATE store_settings SET price_mode = $1, currency = $2 WHERE id = 1`, [
        savedSettings.price_mode,
        savedSettings.currency,
      ]),
    );
});

const setPriceMode = (mode: string) =>
  withServiceDb(env, 'order', (db) =>
    db.query(`UPDATE store_settings SET price_mode = $1, currency = $2 WHERE id = 1`, [
      mode,
      FIXTURE_CURRENCY,
    ]),
  );

/** A new customer whose cart holds the vector's cart and choices. */
async function cartFor(
  vector: Pick<PricingVector, 'cart' | 'country' | 'shippingMethodId' | 'discountCode'>,
) {
  const me: Identity = { userId: randomUUID(), role: 'CUSTOMER' };
  await ensureAccount(supergraph.userDbUrl, me.userId);
  for (const item of vector.cart)
    await ok(
      me,
      `mutation ($p: ID!, $q: Int!) { addToCart(productId: $p, quantity: $q) { itemCount } }`,
      {
        p: idOf(item.productId),
        q: item.quantity,
      },
    );
  if (vector.country) {
    const { addAddress } = await ok(
      me,
      `mutation ($a: AddressInput!) { addAddress(input: $a) { id } }`,
      {
        a: ADDRESSES[vector.country],
      },
    );
    await ok(me, `mutation ($id: ID!) { setCartShippingAddress(addressId: $id) { itemCount } }`, {
      id: addAddress.id,
    });
  }
  if (vector.shippingMethodId)
    await ok(me, `mutation ($id: ID!) { setCartShippingMethod(methodId: $id) { itemCount } }`, {
      id: idOf(vector.shippingMethodId),
    });
  return me;
}

describe('checkout totals through the gateway: the pricing vectors', () => {
  for (const vector of PRICING_VECTORS)
    it(vector.name, async () => {
      await setPriceMode(vector.priceMode);
      const me = await cartFor(vector);
      if (vector.discountCode)
        await ok(me, `mutation ($c: String!) { applyDiscountCode(code: $c) { discountCode } }`, {
          c: codeName(vector.discountCode).toLowerCase(),
        });
      const expected = vector.expected;
      const expectedTotals = {
        subtotal: money(expected.subtotal),
        discount: money(expected.discount),
        shipping: money(expected.shipping),
        tax: money(expected.tax),
        total: money(expected.total),
      };
      const { cart } = await ok(
        me,
        `{ cart { ${TOTALS} discountCode items { product { id } tax { amount } discount { amount } } } }`,
      );
      expect(cart.totals).toEqual(expectedTotals);
      for (const line of expected.lines) {
        const item = cart.items.find((i: any) => i.product.id === idOf(line.productId));
        expect(item, line.productId).toMatchObject({
          tax: { amount: money(line.tax).amount },
          discount: { amount: money(line.discount).amount },
        });
      }
      if (!vector.country || !vector.shippingMethodId) return;
      // The order placed from the cart keeps the same cents.
      const { placeOrder } = await ok(
        me,
        `mutation ($k: String!) { placeOrder(idempotencyKey: $k) { ${TOTALS} discountCode items { product { id } tax { amount } discount { amount } } } }`,
        { k: `vector-${randomUUID()}` },
      );
      expect(placeOrder.totals).toEqual(expectedTotals);
      expect(placeOrder.discountCode).toBe(
        vector.discountCode ? codeName(vector.discountCode) : null,
      );
      for (const line of expected.lines) {
        const item = placeOrder.items.find((i: any) => i.product.id === idOf(line.productId));
        expect(item, line.productId).toMatchObject({
          tax: { amount: money(line.tax).amount },
          discount: { amount: money(line.discount).amount },
        });
      }
    });
});

describe('refused codes through the gateway', () => {
  for (const vector of DISCOUNT_REFUSAL_VECTORS)
    it(vector.name, async () => {
      await setPriceMode('NET');
      const me = await cartFor({
        cart: vector.cart,
        country: 'DE',
        shippingMethodId: 'dhl-standard',
        discountCode: null,
      });
      // Uses by others and by this customer, as the vector counts them.
      await withServiceDb(env, 'order', (db) =>
        db.query(`UPDATE discount_codes SET used = $2 WHERE code = $1`, [
          codeName(vector.code),
          vector.timesUsed,
        ]),
      );
      for (let i = 0; i < vector.customerTimesUsed; i++)
        await withServiceDb(env, 'order', async (db) => {
          const orderId = randomUUID();
          await db.query(
            `INSERT INTO orders (id, user_id, idempotency_key, total_amount, currency, updated_at) VALUES ($1, $2, $3, 0, 'EUR', now())`,
            [orderId, me.userId, `past-${orderId}`],
          );
          await db.query(
            `INSERT INTO discount_uses (order_id, code_id, user_id) SELECT $1, id, $2 FROM discount_codes WHERE code = $3`,
            [orderId, me.userId, codeName(vector.code)],
          );
        });
      const res = await as(
        me,
        `mutation ($c: String!) { applyDiscountCode(code: $c) { discountCode } }`,
        {
          c: codeName(vector.code),
        },
      );
      expect(res.errors?.[0]?.extensions?.code).toBe(
        DISCOUNT_REFUSAL_CONTRACT_CODES[vector.reason],
      );
      expect(res.errors?.[0]?.message).toContain(codeName(vector.code));
      const { cart } = await ok(me, `{ cart { discountCode totals { discount { amount } } } }`);
      expect(cart).toEqual({ discountCode: null, totals: { discount: { amount: '0.00' } } });
    });
});
