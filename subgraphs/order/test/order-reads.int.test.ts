import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createOrderPrisma, type Prisma, type PrismaClient } from '@shop/prisma/order';
import { testEnv } from '@shop/testing';
import { findOrder, findOrderByKey, findOrders } from '../src/data/orders.ts';

let prisma: PrismaClient;
let db: pg.Pool;

beforeAll(() => {
  const url = testEnv(inject('stack')).databaseUrl('order');
  prisma = createOrderPrisma(url, { max: 2 });
  db = new pg.Pool({ connectionString: url, max: 2 });
});
afterAll(async () => {
  await prisma?.$disconnect();
  await db?.end();
});

/** What the resolvers read through Prisma before: the reference the SQL read must match. */
const PRISMA_INCLUDE = {
  items: { orderBy: { productName: 'asc' } },
  workflow: { orderBy: { seq: 'asc' } },
  fulfillmentEvents: { orderBy: { seq: 'asc' } },
  returns: {
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    include: { lines: { orderBy: { productName: 'asc' } } },
  },
} satisfies Prisma.OrderInclude;

/** An order with something in every relation, every nullable column set, odd amounts. */
async function fullOrder() {
  const userId = randomUUID();
  const [reel, rod] = [randomUUID(), randomUUID()];
  const order = await prisma.order.create({
    data: {
      userId,
      idempotencyKey: `reads-${randomUUID()}`,
      status: 'COMPLETED',
      cancelReason: null,
      totalAmount: '1234567.05',
      currency: 'EUR',
      subtotalAmount: '1000000.10',
      discountAmount: '0.05',
      shippingAmount: '4.90',
      taxAmount: '229.99',
      shippingAddress: { name: 'Ana', line1: 'Rua 1', city: 'Porto', country: 'PT', nested: [1] },
      shippingMethod: { id: 'm1', name: 'Post', price: { amount: '4.90', currency: 'EUR' } },
      discountCode: 'TACKLE5',
      pricing: { priceMode: 'GROSS', rates: [2300] },
      cartVersion: randomUUID(),
      fulfillmentStatus: 'DELIVERED',
      carrier: 'Fallback Post',
      trackingNumber: 'FP123',
      shippedAt: new Date('2026-11-28T10:11:12.345Z'),
      estimatedDelivery: new Date('2026-12-02T00:00:00Z'),
      deliveredAt: new Date('2026-11-30T08:00:00.001Z'),
      items: {
        create: [
          {
            productId: rod,
            productName: 'Zeta rod',
            quantity: 1,
            unitPrice: '999999.99',
            discountAmount: '0.05',
            taxAmount: '200.00',
            taxRateBp: 2300,
          },
          {
            productId: reel,
            productName: 'Alpha reel',
            quantity: 3,
            unitPrice: '0.01',
            discountAmount: '0',
            taxAmount: '0.01',
            taxRateBp: 600,
          },
        ],
      },
      workflow: {
        create: [
          { step: 'ORDER', event: 'PLACED', detail: '2 line(s)' },
          { step: 'PAYMENT', event: 'PAYMENT_AUTHORIZED', detail: null },
        ],
      },
      fulfillmentEvents: {
        create: [
          { status: 'PACKED', actor: 'SELLER', actorUserId: randomUUID(), detail: null },
          { status: 'DELIVERED', actor: 'CARRIER', detail: 'left at the door' },
        ],
      },
    },
  });
  for (const [i, reason] of ['too short', 'wrong colour'].entries())
    await prisma.return.create({
      data: {
        orderId: order.id,
        userId,
        status: i === 0 ? 'REFUNDED' : 'REQUESTED',
        reason,
        rejectionReason: i === 0 ? null : 'pending look',
        refundAmount: '12.34',
        currency: 'EUR',
        wholeOrder: i === 0,
        receivedAt: i === 0 ? new Date('2026-11-30T09:00:00Z') : null,
        refundedAt: i === 0 ? new Date('2026-11-30T09:30:00Z') : null,
        lines: {
          create: [
            { productId: rod, productName: 'Zeta rod', quantity: 1, refundAmount: '12.00' },
            { productId: reel, productName: 'Alpha reel', quantity: 2, refundAmount: '0.34' },
          ],
        },
      },
    });
  return order;
}

describe('orders read in one SQL statement', () => {
  it('are what Prisma read with its includes, field by field', async () => {
    const order = await fullOrder();
    const expected = await prisma.order.findUnique({
      where: { id: order.id },
      include: PRISMA_INCLUDE,
    });
    const read = await findOrder(db, order.id);
    // Decimals compared by value and by their text, as resolvers format them.
    expect(
      JSON.parse(JSON.stringify(read, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))),
    ).toEqual(
      JSON.parse(JSON.stringify(expected, (_, v) => (typeof v === 'bigint' ? `${v}n` : v))),
    );
    expect(read!.totalAmount.toFixed(2)).toBe('1234567.05');
    expect(read!.items.map((i) => i.productName)).toEqual(['Alpha reel', 'Zeta rod']);
    expect(read!.returns.map((r) => r.lines.map((l) => l.productName))).toEqual([
      ['Alpha reel', 'Zeta rod'],
      ['Alpha reel', 'Zeta rod'],
    ]);
    expect(typeof read!.workflow[0]!.seq).toBe('bigint');
    expect(read!.estimatedDelivery!.toISOString()).toBe('2026-12-02T00:00:00.000Z');
    expect(await findOrderByKey(db, order.userId, order.idempotencyKey)).toEqual(read);
  });

  it('an order with no lines, steps or returns has empty lists; others are left out', async () => {
    const order = await prisma.order.create({
      data: {
        userId: randomUUID(),
        idempotencyKey: `reads-${randomUUID()}`,
        totalAmount: '0',
        currency: 'EUR',
      },
    });
    const expected = await prisma.order.findUnique({
      where: { id: order.id },
      include: PRISMA_INCLUDE,
    });
    const read = await findOrder(db, order.id);
    expect(read).toEqual(expected);
    expect(read!.shippingAddress).toBeNull();
    // In the order asked for; missing ids and strings that are no ids are left out (no error).
    const full = await fullOrder();
    const both = await findOrders(db, [full.id, randomUUID(), 'not-an-id', order.id.toUpperCase()]);
    expect(both.map((o) => o.id)).toEqual([full.id, order.id]);
    expect(await findOrder(db, 'x')).toBeNull();
  });
});
