import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, inject } from 'vitest';
import type { Kafka } from '@shop/kafka';
import { createOrderPrisma, type PrismaClient } from '@shop/prisma/order';
import { createRedis, type Redis } from '@shop/redis';
import {
  OrderPlaced,
  OutboxRelay,
  createEvent,
  pgTransaction,
  writeOutboxEvent,
} from '@shop/events';
import { applyRequestedOrderEvent, startStepTimeoutSweeper } from '@shop/order/saga';
import { paymentSimulator } from '../src/payment-provider.ts';
import { releaseStock, reserveStock } from '@shop/catalog/saga';
import {
  SAGA_PARTIES,
  startSaga,
  type Saga,
  type SagaOptions,
  type SagaParty,
} from '../src/saga.ts';
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
let orderPool: pg.Pool;
let redis: Redis;
let relays: OutboxRelay[] = [];
const sagas: Saga[] = [];
const sellerId = randomUUID();
const categoryId = randomUUID();

beforeAll(async () => {
  kafka = testKafka('saga-test');
  catalog = new pg.Pool({ connectionString: catalogDbUrl(), max: 8 });
  prisma = createOrderPrisma(orderDbUrl());
  orderPool = new pg.Pool({ connectionString: orderDbUrl(), max: 8 });
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
  await orderPool.end();
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

async function saga(
  declineRate: number,
  extra: {
    providerCall?: SagaOptions['payment']['providerCall'];
    stepTimeout?: SagaOptions['stepTimeout'];
    /** A party left out: it never answers. */
    without?: SagaParty;
  } = {},
) {
  const tag = randomUUID().slice(0, 8);
  const topics = {
    orders: await freshTopic(kafka, `saga-orders-${tag}`),
    stock: await freshTopic(kafka, `saga-stock-${tag}`),
    payments: await freshTopic(kafka, `saga-payments-${tag}`),
  };
  const s = await startSaga({
    kafka,
    orderPool,
    catalogPool: catalog,
    redis,
    topics,
    namePrefix: `saga-test-${tag}`,
    payment: { declineRate, latencyMs: 5, providerCall: extra.providerCall },
    backoff: { initialMs: 20, maxMs: 200 },
    stepTimeout: extra.stepTimeout,
    parties: SAGA_PARTIES.filter((party) => party !== extra.without),
  });
  sagas.push(s);
  return Object.assign(topics, { saga: s });
}

/**
 * Places an order the way the order service does: row + OrderPlaced in one transaction. With
 * `checkout` (cents), the order is a NET checkout: total = lines - discount + shipping + tax.
 */
async function placeOrder(
  ordersTopic: string,
  lines: { productId: string; quantity: number }[],
  userId: string = randomUUID(),
  checkout?: { discount: number; shipping: number; tax: number },
) {
  const id = randomUUID();
  const cents = (n: number) => (n / 100).toFixed(2);
  const subtotal = lines.reduce((sum, l) => sum + l.quantity * 1000, 0);
  const { discount = 0, shipping = 0, tax = 0 } = checkout ?? {};
  const total = cents(subtotal - discount + shipping + tax);
  const eur = (n: number) => ({ amount: cents(n), currency: 'EUR' });
  // Fifty placements at once share this client's few connections: each may wait its turn
  // (Prisma gives up after 2 s by default, which a loaded machine can exceed).
  await prisma.$transaction(
    async (tx) => {
      await tx.order.create({
        data: {
          id,
          userId,
          idempotencyKey: randomUUID(),
          status: 'PENDING',
          totalAmount: total,
          currency: 'EUR',
          subtotalAmount: cents(subtotal),
          discountAmount: cents(discount),
          shippingAmount: cents(shipping),
          taxAmount: cents(tax),
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
          ...(checkout && {
            totals: {
              subtotal: eur(subtotal),
              discount: eur(discount),
              shipping: eur(shipping),
              tax: eur(tax),
              priceMode: 'NET' as const,
            },
          }),
        }),
        { topic: ordersTopic },
      );
    },
    { maxWait: 30_000 },
  );
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
  it('takes an order to COMPLETED, charging its total with shipping and tax', async () => {
    const topics = await saga(0);
    const a = await product(10);
    const b = await product(3);
    // 50.00 of products, 5.00 off, 4.99 shipping, 19 % tax on 49.99: 59.49.
    const id = await placeOrder(
      topics.orders,
      [
        { productId: a, quantity: 2 },
        { productId: b, quantity: 3 },
      ],
      randomUUID(),
      { discount: 500, shipping: 499, tax: 950 },
    );
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
    expect(payment.amount.toFixed(2)).toBe('59.49');
    const authorized = await prisma.$queryRaw<{ payload: { amount: { amount: string } } }[]>`
      SELECT payload FROM outbox_events WHERE aggregate_id = ${id} AND type = 'PaymentAuthorized'`;
    expect(authorized.map((r) => r.payload.amount)).toEqual([{ amount: '59.49', currency: 'EUR' }]);
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
        sagas[0]!.consumer.stats,
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

const paymentOf = (id: string) => prisma.payment.findUnique({ where: { orderId: id } });
const refundEvents = async (id: string) =>
  (
    await prisma.$queryRaw<{ payload: { paymentId: string; amount: { amount: string } } }[]>`
      SELECT payload FROM outbox_events WHERE aggregate_id = ${id} AND type = 'PaymentRefunded'`
  ).map((r) => r.payload);

describe('order saga: timeouts and cancellations', () => {
  it('cancels an order that waits too long for its stock reservation', async () => {
    const userId = randomUUID();
    const topics = await saga(0, {
      stepTimeout: { timeoutMs: 1000, intervalMs: 100, userId },
      without: 'catalog-stock', // the catalog never answers
    });
    const a = await product(5);
    const id = await placeOrder(topics.orders, [{ productId: a, quantity: 2 }], userId);
    const order = await terminal(id, 15_000);
    expect(order.status).toBe('CANCELLED');
    expect(order.cancelReason).toBe('timed out waiting for stock reservation');
    expect(order.workflow.map((w) => w.event)).toEqual(['PLACED', 'CANCELLED']);
    expect(await stockOf(a)).toBe(5);
    expect(await paymentOf(id)).toBeNull();
  }, 30_000);

  it('cancels an order that waits too long for its payment and gives the stock back', async () => {
    const userId = randomUUID();
    const topics = await saga(0, {
      stepTimeout: { timeoutMs: 1500, intervalMs: 100, userId },
      without: 'payment-simulator', // the payment provider never answers
    });
    const a = await product(5);
    const id = await placeOrder(topics.orders, [{ productId: a, quantity: 2 }], userId);
    await waitFor(async () => (await stockOf(a)) === 3);
    const order = await terminal(id, 15_000);
    expect(order.status).toBe('CANCELLED');
    expect(order.cancelReason).toBe('timed out waiting for payment');
    await waitFor(async () => (await stockOf(a)) === 5);
  }, 30_000);

  it('sweeps each overdue order once across several replicas', async () => {
    const userId = randomUUID();
    const topics = await saga(0, { without: 'catalog-stock' });
    const a = await product(50);
    const ids = await Promise.all(
      Array.from({ length: 20 }, () =>
        placeOrder(topics.orders, [{ productId: a, quantity: 1 }], userId),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 600));
    const replicas = [0, 1, 2].map(() =>
      startStepTimeoutSweeper({
        pool: orderPool,
        redis,
        timeoutMs: 500,
        intervalMs: 60_000,
        userId,
      }),
    );
    const swept = (await Promise.all(replicas.map((r) => r.sweep()))).flat();
    await Promise.all(replicas.map((r) => r.stop()));
    expect(swept.sort()).toEqual([...ids].sort());
    const cancels = await prisma.workflowEvent.count({
      where: { orderId: { in: ids }, event: 'CANCELLED' },
    });
    expect(cancels).toBe(20);
  }, 30_000);

  it('gives the stock back when the user cancels a STOCK_RESERVED order', async () => {
    // No payment: the order waits at STOCK_RESERVED.
    const topics = await saga(0, { without: 'payment-simulator' });
    const a = await product(4);
    const id = await placeOrder(topics.orders, [{ productId: a, quantity: 3 }]);
    await waitFor(async () => (await orderOf(id)).status === 'STOCK_RESERVED');
    expect(await stockOf(a)).toBe(1);
    const cancelled = await applyRequestedOrderEvent(
      orderPool,
      id,
      { type: 'CANCEL', reason: 'Cancelled by the customer' },
      { ordersTopic: topics.orders },
    );
    expect(cancelled.to).toBe('CANCELLED');
    await waitFor(async () => (await stockOf(a)) === 4);
    const r = await catalog.query(`SELECT status FROM stock_reservations WHERE order_id = $1`, [
      id,
    ]);
    expect(r.rows).toEqual([{ status: 'released' }]);
  }, 30_000);

  it('refunds a payment authorized for an order the user cancelled meanwhile', async () => {
    // The provider is answering (held by the test) when the user cancels; the authorization
    // that follows is refunded.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const calls: string[] = [];
    const topics = await saga(0, {
      providerCall: async (orderId) => {
        calls.push(orderId);
        await released;
      },
    });
    const a = await product(4);
    let id: string;
    let cancelled;
    try {
      id = await placeOrder(topics.orders, [{ productId: a, quantity: 1 }]);
      await waitFor(async () => calls.includes(id));
      // No lock on the order is held while the provider answers: the cancel commits at once.
      cancelled = await applyRequestedOrderEvent(
        orderPool,
        id,
        { type: 'CANCEL', reason: 'Cancelled by the customer' },
        { ordersTopic: topics.orders },
      );
      release();
    } finally {
      release();
    }
    expect(cancelled.to).toBe('CANCELLED');
    await waitFor(async () => (await paymentOf(id))?.status === 'refunded');
    await waitFor(async () => (await stockOf(a)) === 4);
    const refunds = await refundEvents(id);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.paymentId).toBe((await paymentOf(id))!.paymentId);
    expect(refunds[0]!.amount.amount).toBe('10.00');
    expect((await orderOf(id)).status).toBe('CANCELLED');
  }, 30_000);

  it('does not charge an order cancelled before its payment runs', async () => {
    const topics = await saga(0, { without: 'payment-simulator' });
    const a = await product(4);
    const id = await placeOrder(topics.orders, [{ productId: a, quantity: 1 }]);
    await waitFor(async () => (await orderOf(id)).status === 'STOCK_RESERVED');
    await applyRequestedOrderEvent(
      orderPool,
      id,
      { type: 'CANCEL', reason: 'Cancelled by the customer' },
      { ordersTopic: topics.orders },
    );
    // The provider comes back late: it charges nothing for a cancelled order.
    const late = await pgTransaction(orderPool)((tx) =>
      paymentSimulator({ declineRate: 0, topics }).authorize(tx, id),
    );
    expect(late?.status).toBe('voided');
    expect((await paymentOf(id))!.status).toBe('voided');
    await waitFor(async () => (await stockOf(a)) === 4);
    expect(await refundEvents(id)).toEqual([]);
  }, 30_000);

  it('refunds when a PAID order is cancelled', async () => {
    const topics = await saga(0);
    const a = await product(4);
    const id = await placeOrder(topics.orders, [{ productId: a, quantity: 2 }]);
    const order = await terminal(id);
    expect(order.status).toBe('COMPLETED');
    // PAID is passed within one transaction by the saga: put an order there by hand.
    const paid = randomUUID();
    await prisma.order.create({
      data: {
        id: paid,
        userId: randomUUID(),
        idempotencyKey: randomUUID(),
        status: 'PAID',
        totalAmount: '10.00',
        currency: 'EUR',
        items: {
          create: [{ productId: a, quantity: 1, productName: 'Saga rod', unitPrice: '10.00' }],
        },
      },
    });
    await prisma.payment.create({
      data: {
        orderId: paid,
        paymentId: `pay_${randomUUID()}`,
        status: 'authorized',
        amount: '10.00',
        currency: 'EUR',
      },
    });
    await applyRequestedOrderEvent(
      orderPool,
      paid,
      { type: 'CANCEL', reason: 'Cancelled by an administrator' },
      { ordersTopic: topics.orders },
    );
    await waitFor(async () => (await paymentOf(paid))?.status === 'refunded');
    expect(await refundEvents(paid)).toHaveLength(1);
    // A COMPLETED order cannot be cancelled, so its payment stays.
    await expect(
      applyRequestedOrderEvent(orderPool, id, { type: 'CANCEL', reason: 'too late' }),
    ).rejects.toThrow(/COMPLETED/);
    expect((await paymentOf(id))!.status).toBe('authorized');
  }, 30_000);
});

describe('order saga: events out of their order', () => {
  it('reserves nothing for an OrderPlaced that arrives after its cancellation', async () => {
    const a = await product(4);
    const orderId = randomUUID();
    const inTx = async <T>(work: (tx: pg.PoolClient) => Promise<T>) => {
      const tx = await catalog.connect();
      try {
        await tx.query('BEGIN');
        const result = await work(tx);
        await tx.query('COMMIT');
        return result;
      } finally {
        tx.release();
      }
    };
    // OrderCancelled handled first (the OrderPlaced was dead-lettered, then replayed).
    expect(await inTx((tx) => releaseStock(tx, orderId))).toBeNull();
    expect(await inTx((tx) => reserveStock(tx, orderId, [{ productId: a, quantity: 3 }]))).toEqual({
      outcome: 'already',
    });
    expect(await stockOf(a)).toBe(4);
    // A second cancellation is as harmless.
    expect(await inTx((tx) => releaseStock(tx, orderId))).toBeNull();
    expect(await stockOf(a)).toBe(4);
  });
});
