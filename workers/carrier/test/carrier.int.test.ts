import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from '@shop/kafka';
import { OrderCompleted, createEvent } from '@shop/events';
import { createOrderPrisma, type PrismaClient } from '@shop/prisma/order';
import { trackingNumberFor } from '@shop/order/carrier';
import { startCarrier, type Carrier } from '../src/carrier.ts';
import { env, freshTopic, testKafka, waitFor } from '../../../events/test/helpers.ts';

let kafka: Kafka;
let orderPool: pg.Pool;
let prisma: PrismaClient;
let orders: string;
const tag = randomUUID().slice(0, 8);
const running: Carrier[] = [];

beforeAll(async () => {
  kafka = testKafka('carrier-test');
  orderPool = new pg.Pool({ connectionString: env().databaseUrl('order'), max: 6 });
  prisma = createOrderPrisma(env().databaseUrl('order'), { max: 3 });
  orders = await freshTopic(kafka, `carrier-orders-${tag}`);
});
afterAll(async () => {
  for (const carrier of running) await carrier.stop();
  await orderPool?.end();
  await prisma?.$disconnect();
});

async function carrier(
  name: string,
  delays: { packMs: number; shipMs: number; deliverMs: number },
): Promise<Carrier> {
  const started = await startCarrier({
    kafka,
    orderPool,
    orderPrisma: prisma,
    carrierName: 'Fallback Post',
    delays,
    lossRate: 0,
    pollMs: 20,
    topics: { orders },
    namePrefix: `carrier-test-${tag}-${name}`,
    backoff: { initialMs: 20, maxMs: 200 },
  });
  running.push(started);
  return started;
}

async function stop(started: Carrier) {
  await started.stop();
  running.splice(running.indexOf(started), 1);
}

/** A paid and confirmed order, as the saga leaves it, and its OrderCompleted (sent `times`). */
async function completedOrder(times: number, shippingCarrier: string | null): Promise<string> {
  const orderId = randomUUID();
  const userId = randomUUID();
  await orderPool.query(
    `INSERT INTO orders (id, user_id, idempotency_key, status, total_amount, currency,
                         shipping_method, updated_at)
     VALUES ($1, $2, $3, 'COMPLETED', 12.50, 'EUR', $4::jsonb, now())`,
    [
      orderId,
      userId,
      `carrier-${orderId}`,
      shippingCarrier
        ? JSON.stringify({ carrier: shippingCarrier, estimatedDays: { min: 1, max: 3 } })
        : null,
    ],
  );
  const event = createEvent(OrderCompleted, orderId, {
    orderId,
    userId,
    total: { amount: '12.50', currency: 'EUR' },
  });
  const producer = kafka.producer();
  await producer.connect();
  const message = { key: event.aggregateId, value: JSON.stringify(event) };
  await producer.send({ topic: orders, messages: Array.from({ length: times }, () => message) });
  await producer.disconnect();
  return orderId;
}

const statusOf = async (orderId: string) =>
  (
    await orderPool.query<{
      fulfillment_status: string;
      carrier: string | null;
      tracking: string | null;
    }>(
      `SELECT fulfillment_status::text AS fulfillment_status, carrier, tracking_number AS tracking
         FROM orders WHERE id = $1`,
      [orderId],
    )
  ).rows[0]!;

const stepsOf = async (orderId: string) =>
  (
    await orderPool.query<{ status: string; actor: string }>(
      `SELECT status::text AS status, actor FROM fulfillment_events WHERE order_id = $1 ORDER BY seq`,
      [orderId],
    )
  ).rows;

const outboxOf = async (orderId: string) =>
  (
    await orderPool.query<{ type: string }>(
      `SELECT type FROM outbox_events WHERE aggregate_id = $1 ORDER BY seq`,
      [orderId],
    )
  ).rows.map((r) => r.type);

describe('the simulated carrier', () => {
  it('takes a completed order through PACKED, SHIPPED and DELIVERED once, whatever is redelivered', async () => {
    const worker = await carrier('a', { packMs: 50, shipMs: 100, deliverMs: 100 });
    const seen: string[] = [];
    const poll = async () => {
      seen.push((await statusOf(twice)).fulfillment_status);
    };
    const twice = await completedOrder(2, 'Pike Parcels');
    const once = await completedOrder(1, null);
    await waitFor(async () => {
      await poll();
      return (await statusOf(twice)).fulfillment_status === 'DELIVERED';
    }, 20_000);
    await waitFor(async () => (await statusOf(once)).fulfillment_status === 'DELIVERED', 20_000);
    await waitFor(() => worker.consumer.stats.duplicates === 1, 10_000);

    const order = await statusOf(twice);
    expect(order.carrier).toBe('Pike Parcels');
    expect(order.tracking).toBe(trackingNumberFor(twice));
    expect((await statusOf(once)).carrier).toBe('Fallback Post');
    for (const id of [twice, once]) {
      expect(await stepsOf(id)).toEqual([
        { status: 'PACKED', actor: 'CARRIER' },
        { status: 'SHIPPED', actor: 'CARRIER' },
        { status: 'DELIVERED', actor: 'CARRIER' },
      ]);
      expect(await outboxOf(id)).toEqual(['OrderPacked', 'OrderShipped', 'OrderDelivered']);
    }
    // The statuses seen along the way never went backwards.
    const order_ = ['UNFULFILLED', 'PACKED', 'SHIPPED', 'DELIVERED'];
    const ranks = seen.map((s) => order_.indexOf(s));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    // The schedule is done: nothing left for a later poll.
    const { rows } = await orderPool.query(
      `SELECT next_step, outcome FROM carrier_schedule WHERE order_id = ANY($1::uuid[])`,
      [[twice, once]],
    );
    expect(rows).toEqual([
      { next_step: null, outcome: null },
      { next_step: null, outcome: null },
    ]);
    await stop(worker);
  });

  it('finishes an order after a restart between PACKED and SHIPPED (the schedule is a table)', async () => {
    const first = await carrier('b', { packMs: 0, shipMs: 4000, deliverMs: 50 });
    const orderId = await completedOrder(1, 'Carp Courier');
    await waitFor(async () => (await statusOf(orderId)).fulfillment_status === 'PACKED', 20_000);
    await stop(first);
    expect((await statusOf(orderId)).fulfillment_status).toBe('PACKED');
    const { rows } = await orderPool.query<{ next_step: string }>(
      `SELECT next_step FROM carrier_schedule WHERE order_id = $1`,
      [orderId],
    );
    expect(rows).toEqual([{ next_step: 'SHIP' }]);

    await carrier('b', { packMs: 0, shipMs: 4000, deliverMs: 50 });
    await waitFor(async () => (await statusOf(orderId)).fulfillment_status === 'DELIVERED', 30_000);
    expect(await stepsOf(orderId)).toEqual([
      { status: 'PACKED', actor: 'CARRIER' },
      { status: 'SHIPPED', actor: 'CARRIER' },
      { status: 'DELIVERED', actor: 'CARRIER' },
    ]);
    expect((await statusOf(orderId)).tracking).toBe(trackingNumberFor(orderId));
  });
});
