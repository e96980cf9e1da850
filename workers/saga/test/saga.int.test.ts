import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, inject } from 'vitest';
import type { Kafka } from '@shop/kafka';
import { createOrderPrisma, type PrismaClient } from '@shop/prisma/order';
import { createRedis, type Redis } from '@shop/redis';
import { OrderPlaced, OutboxRelay, createEvent, writeOutboxEvent } from '@shop/events';
import { startSaga, type Saga } from '../src/saga.ts';
import {
  catalogDbUrl,
  freshTopic,
  orderDbUrl,
  testKafka,
  waitFor,
} from '../../../events/test/helpers.ts';

let kafka: Kafka;
let catalog: pg.Pool;
let prisma: PrismaClient;
let redis: Redis;
let relays: OutboxRelay[] = [];
const sagas: Saga[] = [];
const sellerId = randomUUID();
const categoryId = randomUUID();

beforeAll(async () => {
  kafka = testKafka('saga-test');
  catalog = new pg.Pool({ connectionString: catalogDbUrl(), max: 8 });
  prisma = createOrderPrisma(orderDbUrl());
  redis = createRedis(inject('stack').redis.url);
  await redis.connect();
  const slug = `saga-${sellerId.slice(0, 8)}`;
  await catalog.query(`INSERT INTO sellers (id, slug, name) VALUES ($1, $2, 'Saga seller')`, [
    sellerId,
    slug,
  ]);
  await catalog.query(`INSERT INTO categories (id, slug, name) VALUES ($1, $2, 'Saga cat')`, [
    categoryId,
    slug,
  ]);
  // Relays publish both test databases' outboxes (rows carry their private topics).
  relays = [orderDbUrl(), catalogDbUrl()].map(
    (databaseUrl) =>
      new OutboxRelay({
        databaseUrl,
        kafka,
        pollIntervalMs: 50,
        backoff: { initialMs: 50, maxMs: 500 },
      }),
  );
  for (const r of relays) r.start();
});
afterEach(async () => {
  await Promise.all(sagas.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()));
  await prisma.$disconnect();
  await catalog.end();
  redis.disconnect();
});

async function product(stock: number, price = '10.00') {
  const id = randomUUID();
  await catalog.query(
    `INSERT INTO products (id, sku, name, price, stock, category_id, seller_id, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, now())`,
    [id, `saga-${id}`, `Saga rod ${id.slice(0, 4)}`, price, stock, categoryId, sellerId],
  );
  return id;
}

const stockOf = async (id: string) =>
  (await catalog.query<{ stock: number }>(`SELECT stock FROM products WHERE id = $1`, [id]))
    .rows[0]!.stock;

async function saga(declineRate: number) {
  const tag = randomUUID().slice(0, 8);
  const topics = {
    orders: await freshTopic(kafka, `saga-orders-${tag}`),
    stock: await freshTopic(kafka, `saga-stock-${tag}`),
    payments: await freshTopic(kafka, `saga-payments-${tag}`),
  };
  const s = await startSaga({
    kafka,
    orderPrisma: prisma,
    catalogPool: catalog,
    redis,
    topics,
    namePrefix: `saga-test-${tag}`,
    payment: { declineRate, latencyMs: 5 },
    backoff: { initialMs: 20, maxMs: 200 },
  });
  sagas.push(s);
  return topics;
}

/** Places an order the way the order service does: row + OrderPlaced in one transaction. */
async function placeOrder(ordersTopic: string, lines: { productId: string; quantity: number }[]) {
  const id = randomUUID();
  const userId = randomUUID();
  const total = lines.reduce((sum, l) => sum + l.quantity * 10, 0).toFixed(2);
  await prisma.$transaction(async (tx) => {
    await tx.order.create({
      data: {
        id,
        userId,
        idempotencyKey: randomUUID(),
        status: 'PENDING',
        totalAmount: total,
        currency: 'EUR',
        items: {
          create: lines.map((l) => ({ ...l, productName: 'Saga rod', unitPrice: '10.00' })),
        },
        workflow: { create: { step: 'ORDER', event: 'PLACED' } },
      },
    });
    await writeOutboxEvent(
      tx,
      createEvent(OrderPlaced, id, {
        orderId: id,
        userId,
        items: lines.map((l) => ({ ...l, unitPrice: { amount: '10.00', currency: 'EUR' } })),
        total: { amount: total, currency: 'EUR' },
      }),
      { topic: ordersTopic },
    );
  });
  return id;
}

const orderOf = (id: string) =>
  prisma.order.findUniqueOrThrow({
    where: { id },
    include: { workflow: { orderBy: { seq: 'asc' } } },
  });

async function terminal(id: string, timeoutMs = 30_000) {
  await waitFor(async () => {
    const o = await orderOf(id);
    return o.status === 'COMPLETED' || o.status === 'CANCELLED';
  }, timeoutMs);
  return orderOf(id);
}

describe('order saga', () => {
  it('takes an order to COMPLETED and keeps the stock sold', async () => {
    const topics = await saga(0);
    const a = await product(10);
    const b = await product(3);
    const id = await placeOrder(topics.orders, [
      { productId: a, quantity: 2 },
      { productId: b, quantity: 3 },
    ]);
    const order = await terminal(id);
    expect(order.status).toBe('COMPLETED');
    expect(order.workflow.map((w) => w.event)).toEqual([
      'PLACED',
      'STOCK_RESERVED',
      'PAYMENT_AUTHORIZED',
      'COMPLETED',
    ]);
    expect(await stockOf(a)).toBe(8);
    expect(await stockOf(b)).toBe(0);
    const payment = await prisma.payment.findUniqueOrThrow({ where: { orderId: id } });
    expect(payment.status).toBe('authorized');
    expect(payment.amount.toFixed(2)).toBe('50.00');
  });

  it('cancels a declined order and gives the stock back once', async () => {
    const topics = await saga(1);
    const a = await product(5);
    const id = await placeOrder(topics.orders, [{ productId: a, quantity: 4 }]);
    const order = await terminal(id);
    expect(order.status).toBe('CANCELLED');
    expect(order.cancelReason).toMatch(/^payment failed: card declined/);
    await waitFor(async () => (await stockOf(a)) === 5);
    const r = await catalog.query(`SELECT status FROM stock_reservations WHERE order_id = $1`, [
      id,
    ]);
    expect(r.rows).toEqual([{ status: 'released' }]);
    // PaymentFailed and OrderCancelled both ask for the release: it happens once.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await stockOf(a)).toBe(5);
  });

  it('cancels an order whose stock is short, all lines or none', async () => {
    const topics = await saga(0);
    const a = await product(5);
    const b = await product(1);
    const id = await placeOrder(topics.orders, [
      { productId: a, quantity: 2 },
      { productId: b, quantity: 2 },
    ]);
    const order = await terminal(id);
    expect(order.status).toBe('CANCELLED');
    expect(order.cancelReason).toMatch(/^stock rejected: not enough stock for Saga rod/);
    expect(await stockOf(a)).toBe(5);
    expect(await stockOf(b)).toBe(1);
  });

  it('sells the last 5 units to exactly 5 of 50 concurrent buyers', async () => {
    const topics = await saga(0);
    const a = await product(5);
    const ids = await Promise.all(
      Array.from({ length: 50 }, () => placeOrder(topics.orders, [{ productId: a, quantity: 1 }])),
    );
    const statuses = () =>
      prisma.order.findMany({ where: { id: { in: ids } }, select: { status: true } });
    await waitFor(async () => {
      const rows = await statuses();
      return rows.every((o) => o.status === 'COMPLETED' || o.status === 'CANCELLED');
    }, 60_000).catch(async (error: unknown) => {
      const rows = await statuses();
      console.error(
        rows.reduce<Record<string, number>>(
          (n, o) => ({ ...n, [o.status]: (n[o.status] ?? 0) + 1 }),
          {},
        ),
        sagas[0]!.consumers.map((c) => c.stats),
      );
      throw error;
    });
    const orders = await prisma.order.findMany({ where: { id: { in: ids } } });
    const completed = orders.filter((o) => o.status === 'COMPLETED');
    expect(completed).toHaveLength(5);
    expect(orders.filter((o) => o.status === 'CANCELLED')).toHaveLength(45);
    expect(await stockOf(a)).toBe(0);
  }, 90_000);
});
