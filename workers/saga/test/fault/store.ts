/**
 * The fault run's data: its own order and catalog databases (migrated, emptied each run), the
 * products it sells with known stock, and orders placed and cancelled through the order
 * service's own domain and data functions (price snapshot from the catalog's current facts,
 * order row + OrderPlaced in one transaction; cancel through the state machine).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { migrateAll } from '@shop/prisma/migrate';
import type { PrismaClient } from '@shop/prisma/order';
import {
  InvalidTransitionError,
  type OrderStatus,
} from '../../../../subgraphs/order/src/domain/order-status.ts';
import { DomainError } from '@shop/subgraph-kit';
import {
  priceSnapshot,
  type CatalogFacts,
} from '../../../../subgraphs/order/src/domain/place-order.ts';
import { applyOrderEvent } from '../../../../subgraphs/order/src/data/orders.ts';
import { insertOrder } from '../../../../subgraphs/order/src/data/place-order-writes.ts';

export interface FaultDatabases {
  order: string;
  catalog: string;
}

/** Migrates `<prefix>_order` and `<prefix>_catalog` and empties what a run writes. */
export async function prepareDatabases(serverUrl: string, prefix: string): Promise<FaultDatabases> {
  const urls = await migrateAll({ serverUrl, prefix, services: ['order', 'catalog'] });
  await withClient(urls.order, (db) =>
    db.query(`TRUNCATE orders, payments, outbox_events, inbox CASCADE`),
  );
  await withClient(urls.catalog, (db) =>
    db.query(
      `TRUNCATE stock_reservations, outbox_events, inbox, products, sellers, categories CASCADE`,
    ),
  );
  return { order: urls.order, catalog: urls.catalog };
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
    const p = {
      id: randomUUID(),
      name: `Fault rod ${i + 1}`,
      price: `${10 + i}.50`,
      stock: stockOf(i),
    };
    await catalog.query(
      `INSERT INTO products (id, sku, name, price, currency, stock, category_id, seller_id, updated_at)
       VALUES ($1, $2, $3, $4, 'EUR', $5, $6, $7, now())`,
      [p.id, `fault-${i + 1}`, p.name, p.price, p.stock, categoryId, sellerId],
    );
    products.push(p);
  }
  return products;
}

/** The catalog's current facts about products, as the catalog subgraph answers placeOrder. */
async function catalogFacts(catalog: pg.Pool, ids: string[]) {
  const { rows } = await catalog.query<{
    id: string;
    name: string;
    price: string;
    currency: string;
    stock: number;
  }>(
    `SELECT id, name, price::text AS price, currency, stock FROM products WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map<string, CatalogFacts | null>(
    rows.map((r) => [
      r.id,
      { id: r.id, name: r.name, price: { amount: r.price, currency: r.currency }, stock: r.stock },
    ]),
  );
}

export type PlaceResult = { placed: string } | { refused: string };

/**
 * placeOrder's path below the GraphQL layer: the cart lines priced from the catalog's current
 * facts (refusing more units than are in stock right now, OUT_OF_STOCK) and the order inserted
 * with its OrderPlaced in one transaction.
 */
export async function placeOrder(
  orders: pg.Pool,
  catalog: pg.Pool,
  userId: string,
  lines: { productId: string; quantity: number }[],
): Promise<PlaceResult> {
  try {
    const snapshot = priceSnapshot(
      lines,
      await catalogFacts(
        catalog,
        lines.map((l) => l.productId),
      ),
    );
    const order = await insertOrder(orders, userId, `fault-${randomUUID()}`, snapshot);
    return { placed: order.id };
  } catch (error) {
    if (error instanceof DomainError) return { refused: error.code };
    throw error;
  }
}

/** cancelOrder's path: the state machine decides; an order already terminal refuses. */
export async function cancelOrder(
  prisma: PrismaClient,
  orderId: string,
): Promise<{ cancelled: true } | { refused: OrderStatus }> {
  try {
    await applyOrderEvent(prisma, orderId, { type: 'CANCEL', reason: 'Cancelled by the customer' });
    return { cancelled: true };
  } catch (error) {
    if (error instanceof InvalidTransitionError) {
      const o = await prisma.order.findUniqueOrThrow({
        where: { id: orderId },
        select: { status: true },
      });
      return { refused: o.status as OrderStatus };
    }
    throw error;
  }
}
