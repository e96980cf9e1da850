/**
 * The fault run's data: its own order, catalog, cart and notifications databases (migrated,
 * emptied each run),
 * the store's checkout setup (the seed's zones, methods and tax rates, and a discount code of
 * the run's own), the products it sells with known stock, customers whose carts hold a shipping
 * address and method (and for some the code), and orders placed and cancelled through the order
 * service's own placeOrder (the cart read, the checkout priced, the code's use taken under its
 * lock, order + OrderPlaced in one transaction) and its state machine.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { ProductCreated, UserRegistered, createEvent } from '@shop/events';
import type { Kafka } from '@shop/kafka';
import { migrateAll } from '@shop/prisma/migrate';
import type { PrismaClient } from '@shop/prisma/order';
import { DomainError, admission } from '@shop/subgraph-kit';
import {
  InvalidTransitionError,
  type OrderStatus,
} from '../../../../subgraphs/order/src/domain/order-status.ts';
import type { OrderContext } from '../../../../subgraphs/order/src/context.ts';
import type { PricingFacts } from '../../../../subgraphs/order/src/domain/checkout-quote.ts';
import type { OrderUpdates } from '../../../../subgraphs/order/src/events/order-updates.ts';
import { applyRequestedOrderEvent } from '@shop/order/saga';
import { placeOrder as placeCartOrder } from '../../../../subgraphs/order/src/resolvers/orders.ts';
import { SEEDED_METHODS, loadCheckoutSetup } from '../../../../seed/src/checkout-setup.ts';
import { publish } from '../../../notifications/test/mail-fixtures.ts';

export interface FaultDatabases {
  order: string;
  catalog: string;
  cart: string;
  notifications: string;
}

/** The run's own discount code: 10 % off, no limits, on the carts of a share of the customers. */
export const FAULT_CODE = 'FAULTRUN10';

/**
 * Migrates `<prefix>_order`, `_catalog`, `_cart` and `_notifications` and empties what a run
 * writes (the carrier's schedule, fulfilment events and refunds go with their orders).
 */
export async function prepareDatabases(serverUrl: string, prefix: string): Promise<FaultDatabases> {
  const urls = await migrateAll({
    serverUrl,
    prefix,
    services: ['order', 'catalog', 'cart', 'notifications'],
  });
  await withClient(urls.order, (db) =>
    db.query(
      `TRUNCATE orders, payments, payment_refunds, outbox_events, inbox, discount_uses CASCADE`,
    ),
  );
  await withClient(urls.catalog, (db) =>
    db.query(
      `TRUNCATE stock_reservations, stock_restocks, outbox_events, inbox, products, sellers,
                categories CASCADE`,
    ),
  );
  await withClient(urls.cart, (db) => db.query(`TRUNCATE cart_checkouts`));
  await withClient(urls.notifications, (db) =>
    db.query(`TRUNCATE customers, order_owners, product_names, emails, inbox`),
  );
  // Zones, methods and tax rates as `npm start` seeds them (left alone when already there).
  await loadCheckoutSetup({ orderUrl: urls.order, catalogUrl: urls.catalog });
  await withClient(urls.order, async (db) => {
    await db.query(`DELETE FROM discount_codes WHERE code = $1`, [FAULT_CODE]);
    await db.query(
      `INSERT INTO discount_codes (id, code, kind, value, min_subtotal)
       VALUES (gen_random_uuid(), $1, 'PERCENTAGE', 1000, 0)`,
      [FAULT_CODE],
    );
  });
  return {
    order: urls.order,
    catalog: urls.catalog,
    cart: urls.cart,
    notifications: urls.notifications,
  };
}

export async function withClient<T>(url: string, work: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

export interface SeededProduct {
  id: string;
  name: string;
  price: string;
  stock: number;
  /** Pricing facts the catalog's database does not need to hold for the run. */
  weightGrams: number;
  taxClass: 'STANDARD' | 'REDUCED';
  categoryId: string;
  sellerId: string;
}

/** Products with known stock (the run's "initial" of the stock conservation check). */
export async function seedProducts(
  catalog: pg.Pool,
  count: number,
  stockOf: (i: number) => number,
): Promise<SeededProduct[]> {
  const sellerId = randomUUID();
  const categoryId = randomUUID();
  await catalog.query(
    `INSERT INTO sellers (id, slug, name) VALUES ($1, 'fault-seller', 'Fault seller')`,
    [sellerId],
  );
  await catalog.query(
    `INSERT INTO categories (id, slug, name) VALUES ($1, 'fault-rods', 'Fault rods')`,
    [categoryId],
  );
  const products: SeededProduct[] = [];
  for (let i = 0; i < count; i++) {
    const p: SeededProduct = {
      id: randomUUID(),
      name: `Fault rod ${i + 1}`,
      price: `${10 + i}.50`,
      stock: stockOf(i),
      // Light and heavy parcels (the weight tiers), both tax classes.
      weightGrams: 250 + 350 * (i % 5),
      taxClass: i % 3 === 2 ? 'REDUCED' : 'STANDARD',
      categoryId,
      sellerId,
    };
    // The store sells in USD (the seeded setup).
    await catalog.query(
      `INSERT INTO products (id, sku, name, price, currency, stock, category_id, seller_id, updated_at)
       VALUES ($1, $2, $3, $4, 'USD', $5, $6, $7, now())`,
      [p.id, `fault-${i + 1}`, p.name, p.price, p.stock, categoryId, sellerId],
    );
    products.push(p);
  }
  return products;
}

/** Destinations of the run's customers: no tax and weight tiers, VAT, flat express, GST. */
const DESTINATIONS = [
  { country: 'US', city: 'Portland', postalCode: '97201', method: SEEDED_METHODS.usStandard },
  { country: 'DE', city: 'Berlin', postalCode: '10115', method: SEEDED_METHODS.euStandard },
  { country: 'GB', city: 'London', postalCode: 'SW1A 1AA', method: SEEDED_METHODS.euExpress },
  { country: 'CA', city: 'Toronto', postalCode: 'M5V 2T6', method: SEEDED_METHODS.worldStandard },
] as const;

/**
 * `count` customers whose carts hold the checkout's choices, as setCartShippingAddress and
 * setCartShippingMethod leave them (a copy of the address, the method id) in the cart
 * database; every `codeEvery`-th also holds the run's discount code.
 */
export async function prepareCustomers(
  cart: pg.Pool,
  count: number,
  codeEvery: number,
): Promise<string[]> {
  const users = Array.from({ length: count }, () => randomUUID());
  const rows = users.map((userId, i) => {
    const to = DESTINATIONS[i % DESTINATIONS.length]!;
    return {
      userId,
      address: {
        id: randomUUID(),
        recipient: `Fault customer ${i + 1}`,
        phone: '+15035550100',
        line1: `${i + 1} Harbour Street`,
        line2: null,
        city: to.city,
        region: null,
        postalCode: to.postalCode,
        country: to.country,
        isDefault: true,
      },
      method: to.method,
      code: codeEvery > 0 && i % codeEvery === 0 ? FAULT_CODE : null,
    };
  });
  await cart.query(
    `INSERT INTO cart_checkouts (user_id, shipping_address, shipping_method_id, discount_code, updated_at)
     SELECT r."userId", r.address, r.method, r.code, now()
       FROM jsonb_to_recordset($1::jsonb) AS r("userId" uuid, address jsonb, method uuid, code text)`,
    [JSON.stringify(rows)],
  );
  return users;
}

export interface Customer {
  userId: string;
  email: string;
  name: string;
}

/** The run's customers as the user service would have registered them (an address each). */
export function customerProfiles(users: readonly string[], runId: string): Customer[] {
  return users.map((userId, i) => ({
    userId,
    email: `fault-customer-${i + 1}-${runId}@example.com`,
    name: `Fault customer ${i + 1}`,
  }));
}

/**
 * What the notifications worker learns only from events, published to the run's broker as the
 * relays would (mail-fixtures' publish: encodeEvent, keyed by aggregate, type and id headers):
 * the run has no user service, and seeds its products in SQL. UserRegistered gives each
 * customer's address (without it no order email can be sent); ProductCreated the names the
 * order emails show (without them a line reads "Product <id>").
 */
export async function publishReadModelEvents(
  kafka: Kafka,
  customers: readonly Customer[],
  products: readonly SeededProduct[],
): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    await publish(
      producer,
      UserRegistered.topic,
      ...customers.map((c) =>
        createEvent(UserRegistered, c.userId, { ...c, role: 'CUSTOMER' as const }),
      ),
    );
    await publish(
      producer,
      ProductCreated.topic,
      ...products.map((p) =>
        createEvent(ProductCreated, p.id, {
          productId: p.id,
          sellerId: p.sellerId,
          categoryId: p.categoryId,
          name: p.name,
          price: { amount: p.price, currency: 'USD' },
          stock: p.stock,
          weightGrams: p.weightGrams,
          taxClass: p.taxClass,
        }),
      ),
    );
  } finally {
    await producer.disconnect();
  }
}

/** The catalog's current facts about products, as the catalog subgraph answers placeOrder. */
function productLoader(
  catalog: pg.Pool,
  products: readonly SeededProduct[],
): OrderContext['products'] {
  const known = new Map(products.map((p) => [p.id, p]));
  // placeOrder asks for a cart's products in one loadMany.
  const loadMany = async (ids: readonly string[]): Promise<(PricingFacts | null)[]> => {
    const { rows } = await catalog.query<{
      id: string;
      name: string;
      price: string;
      currency: string;
      stock: number;
    }>(
      `SELECT id::text, name, price::text AS price, currency, stock FROM products
        WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => {
      const r = byId.get(id);
      const p = known.get(id);
      if (!r || !p) return null;
      return {
        id: r.id,
        name: r.name,
        price: { amount: r.price, currency: r.currency },
        stock: r.stock,
        weightGrams: p.weightGrams,
        taxClass: p.taxClass,
        category: { id: p.categoryId, ancestorIds: [] },
        deletedAt: null,
      };
    });
  };
  return { loadMany } as unknown as OrderContext['products'];
}

/**
 * The cart subgraph as placeOrder reads it (its `cart` query on the customer's behalf): the
 * order's lines, and the choices the customer's cart_checkouts row holds. Each order is a new
 * version of the lines (one version is ordered once).
 */
function cartOf(
  cart: pg.Pool,
  lines: { productId: string; quantity: number }[],
): OrderContext['cart'] {
  const request = async (
    _query: string,
    _variables: unknown,
    options: { as: { userId: string } },
  ) => {
    const { rows } = await cart.query<{
      shipping_address: Record<string, unknown> | null;
      shipping_method_id: string | null;
      discount_code: string | null;
    }>(
      `SELECT shipping_address, shipping_method_id::text, discount_code FROM cart_checkouts
        WHERE user_id = $1`,
      [options.as.userId],
    );
    return {
      cart: {
        items: lines.map((l) => ({ quantity: l.quantity, product: { id: l.productId } })),
        shippingAddress: rows[0]?.shipping_address ?? null,
        shippingMethodId: rows[0]?.shipping_method_id ?? null,
        discountCode: rows[0]?.discount_code ?? null,
        linesVersion: randomUUID(),
      },
    };
  };
  return { request } as unknown as OrderContext['cart'];
}

export interface PlacingDeps {
  orders: pg.Pool;
  catalog: pg.Pool;
  cart: pg.Pool;
  prisma: PrismaClient;
  products: readonly SeededProduct[];
}

export type PlaceResult = { placed: string } | { refused: string };

const noUpdates = { publish: async () => {} } as unknown as OrderUpdates;
/** The order service's funnel metrics: the run counts from its databases instead. */
const noFunnel: OrderContext['funnel'] = {
  placed: () => undefined,
  completed: () => undefined,
  cancelled: () => undefined,
};
const placements = admission('placeOrder', { concurrency: 16, queue: 10_000 });

/**
 * placeOrder as the order service runs it for a signed-in customer, minus HTTP: the cart (its
 * lines, its address, method and code) read, the products' current facts, the checkout priced,
 * OUT_OF_STOCK when stock is short right now, the code's use taken under its row lock, and the
 * order with its OrderPlaced in one transaction.
 */
export async function placeOrder(
  deps: PlacingDeps,
  userId: string,
  lines: { productId: string; quantity: number }[],
): Promise<PlaceResult> {
  const ctx = {
    identity: { userId, role: 'CUSTOMER' },
    prisma: deps.prisma,
    db: deps.orders,
    cart: cartOf(deps.cart, lines),
    products: productLoader(deps.catalog, deps.products),
    orderUpdates: noUpdates,
    funnel: noFunnel,
    placements,
  } as OrderContext;
  try {
    const order = await placeCartOrder(ctx, `fault-${randomUUID()}`);
    return { placed: order.id };
  } catch (error) {
    if (error instanceof DomainError) return { refused: error.code };
    throw error;
  }
}

/** cancelOrder's path: the state machine decides; an order already terminal refuses. */
export async function cancelOrder(
  orders: pg.Pool,
  orderId: string,
): Promise<{ cancelled: true } | { refused: OrderStatus }> {
  try {
    await applyRequestedOrderEvent(orders, orderId, {
      type: 'CANCEL',
      reason: 'Cancelled by the customer',
    });
    return { cancelled: true };
  } catch (error) {
    if (error instanceof InvalidTransitionError) return { refused: error.from };
    throw error;
  }
}
