import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Kafka } from '@shop/kafka';
import { OrderCompleted, ReturnApproved, createEvent, type AnyEvent } from '@shop/events';
import { createRedis, type Redis } from '@shop/redis';
import { createOrderPrisma, type PrismaClient } from '@shop/prisma/order';
import { orderChannel, trackingNumberFor } from '@shop/order/carrier';
import { startCarrier, type Carrier } from '../src/carrier.ts';
import { env, freshTopic, testKafka, waitFor } from '../../../events/test/helpers.ts';

let kafka: Kafka;
let orderPool: pg.Pool;
let prisma: PrismaClient;
let orders: string;
let redis: Redis;
const tag = randomUUID().slice(0, 8);
const running: Carrier[] = [];

beforeAll(async () => {
  kafka = testKafka('carrier-test');
  orderPool = new pg.Pool({ connectionString: env().databaseUrl('order'), max: 6 });
  prisma = createOrderPrisma(env().databaseUrl('order'), { max: 3 });
  orders = await freshTopic(kafka, `carrier-orders-${tag}`);
  redis = createRedis(inject('stack').redis.url);
  await redis.connect();
});
afterAll(async () => {
  for (const carrier of running) await carrier.stop();
  await orderPool?.end();
  await prisma?.$disconnect();
  redis?.disconnect();
});

interface CarrierTestOptions {
  lossRate?: number;
  lostParcel?: 'REFUND' | 'RESHIP';
  random?: () => number;
  returnMs?: number;
}

async function carrier(
  name: string,
  delays: { packMs: number; shipMs: number; deliverMs: number },
  more: CarrierTestOptions = {},
): Promise<Carrier> {
  const started = await startCarrier({
    kafka,
    orderPool,
    orderPrisma: prisma,
    redis,
    carrierName: 'Fallback Post',
    delays: { ...delays, returnMs: more.returnMs ?? 50 },
    lossRate: more.lossRate ?? 0,
    lostParcel: more.lostParcel ?? 'RESHIP',
    maxShipments: 3,
    random: more.random,
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

async function send(events: AnyEvent[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: orders,
    messages: events.map((event) => ({ key: event.aggregateId, value: JSON.stringify(event) })),
  });
  await producer.disconnect();
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

    const second = await carrier('b', { packMs: 0, shipMs: 4000, deliverMs: 50 });
    await waitFor(async () => (await statusOf(orderId)).fulfillment_status === 'DELIVERED', 30_000);
    expect(await stepsOf(orderId)).toEqual([
      { status: 'PACKED', actor: 'CARRIER' },
      { status: 'SHIPPED', actor: 'CARRIER' },
      { status: 'DELIVERED', actor: 'CARRIER' },
    ]);
    expect((await statusOf(orderId)).tracking).toBe(trackingNumberFor(orderId));
    // Carriers share the schedule table: a carrier left running would take the next tests'
    // steps (without their loss settings).
    await stop(second);
  });
});

describe('the simulated carrier, when things go wrong and come back', () => {
  it('re-ships a lost parcel with a new tracking number, then delivers it (RESHIP)', async () => {
    // Lost on the first delivery attempt, delivered on the second.
    const draws = [0, 0.99];
    const worker = await carrier(
      'lost-reship',
      { packMs: 0, shipMs: 20, deliverMs: 50 },
      { lossRate: 0.5, lostParcel: 'RESHIP', random: () => draws.shift() ?? 0.99 },
    );
    const notices: string[] = [];
    const listener = redis.duplicate();
    await listener.connect();
    const orderId = await completedOrder(1, 'Pike Parcels');
    listener.on('message', (_channel: string, message: string) => notices.push(message));
    await listener.subscribe(orderChannel(orderId));
    await waitFor(async () => (await statusOf(orderId)).fulfillment_status === 'DELIVERED', 20_000);
    expect((await statusOf(orderId)).tracking).toBe(trackingNumberFor(orderId, 2));
    expect(trackingNumberFor(orderId, 2)).not.toBe(trackingNumberFor(orderId));
    expect(await stepsOf(orderId)).toEqual([
      { status: 'PACKED', actor: 'CARRIER' },
      { status: 'SHIPPED', actor: 'CARRIER' },
      { status: 'SHIPPED', actor: 'CARRIER' }, // lost
      { status: 'SHIPPED', actor: 'CARRIER' }, // the new parcel
      { status: 'DELIVERED', actor: 'CARRIER' },
    ]);
    expect(await outboxOf(orderId)).toEqual([
      'OrderPacked',
      'OrderShipped',
      'ParcelLost',
      'OrderShipped',
      'OrderDelivered',
    ]);
    const { rows } = await orderPool.query<{ payload: { resolution: string } }>(
      `SELECT payload FROM outbox_events WHERE aggregate_id = $1 AND type = 'ParcelLost'`,
      [orderId],
    );
    expect(rows[0]!.payload).toMatchObject({
      resolution: 'RESHIP',
      trackingNumber: trackingNumberFor(orderId),
    });
    // Each step was announced for live tracking, after its commit.
    await waitFor(() => notices.length >= 4, 10_000);
    await listener.quit();
    await stop(worker);
  });

  it('ends the shipment of a lost parcel for a refund (REFUND): never delivered', async () => {
    const worker = await carrier(
      'lost-refund',
      { packMs: 0, shipMs: 20, deliverMs: 20 },
      { lossRate: 1, lostParcel: 'REFUND', random: () => 0 },
    );
    const orderId = await completedOrder(1, null);
    await waitFor(async () => (await outboxOf(orderId)).includes('ParcelLost'), 20_000);
    await waitFor(async () => {
      const { rows } = await orderPool.query<{ next_step: string | null; outcome: string }>(
        `SELECT next_step, outcome FROM carrier_schedule WHERE order_id = $1`,
        [orderId],
      );
      return rows[0]?.outcome === 'lost in transit, refunded' && rows[0].next_step === null;
    }, 10_000);
    expect((await statusOf(orderId)).fulfillment_status).toBe('SHIPPED');
    expect(await outboxOf(orderId)).toEqual(['OrderPacked', 'OrderShipped', 'ParcelLost']);
    const { rows } = await orderPool.query<{ payload: { resolution: string } }>(
      `SELECT payload FROM outbox_events WHERE aggregate_id = $1 AND type = 'ParcelLost'`,
      [orderId],
    );
    expect(rows[0]!.payload.resolution).toBe('REFUND');
    await stop(worker);
  });

  it('does not lose a parcel whose delivery committed before a crash kept the schedule at DELIVER', async () => {
    const first = await carrier('redeliver', { packMs: 0, shipMs: 0, deliverMs: 0 });
    const orderId = await completedOrder(1, null);
    await waitFor(async () => (await statusOf(orderId)).fulfillment_status === 'DELIVERED', 20_000);
    await stop(first);
    // The delivery's own transaction committed; the schedule's did not (the worker died between).
    await orderPool.query(
      `UPDATE carrier_schedule SET next_step = 'DELIVER', outcome = NULL, due_at = now()
        WHERE order_id = $1`,
      [orderId],
    );
    const second = await carrier(
      'redeliver',
      { packMs: 0, shipMs: 0, deliverMs: 0 },
      { lossRate: 1, lostParcel: 'RESHIP', random: () => 0 },
    );
    await waitFor(async () => {
      const { rows } = await orderPool.query<{ next_step: string | null }>(
        `SELECT next_step FROM carrier_schedule WHERE order_id = $1`,
        [orderId],
      );
      return rows[0]?.next_step === null;
    }, 20_000);
    const { rows } = await orderPool.query(
      `SELECT next_step, outcome FROM carrier_schedule WHERE order_id = $1`,
      [orderId],
    );
    expect(rows).toEqual([{ next_step: null, outcome: null }]);
    expect((await statusOf(orderId)).fulfillment_status).toBe('DELIVERED');
    expect(await outboxOf(orderId)).toEqual(['OrderPacked', 'OrderShipped', 'OrderDelivered']);
    await stop(second);
  });

  it('brings an approved return back once, whatever is redelivered', async () => {
    const worker = await carrier(
      'returns',
      { packMs: 0, shipMs: 0, deliverMs: 0 },
      { returnMs: 30 },
    );
    const orderId = await completedOrder(1, null);
    await waitFor(async () => (await statusOf(orderId)).fulfillment_status === 'DELIVERED', 20_000);
    // A return the customer asked for and an admin approved, as the order service leaves it.
    const returnId = randomUUID();
    const { rows: users } = await orderPool.query<{ user_id: string }>(
      `UPDATE orders SET fulfillment_status = 'RETURN_REQUESTED' WHERE id = $1
       RETURNING user_id::text AS user_id`,
      [orderId],
    );
    const productId = randomUUID();
    await orderPool.query(
      `INSERT INTO returns (id, order_id, user_id, status, reason, refund_amount, currency, whole_order)
       VALUES ($1, $2, $3, 'APPROVED', 'too small', 12.50, 'EUR', true)`,
      [returnId, orderId, users[0]!.user_id],
    );
    await orderPool.query(
      `INSERT INTO return_lines (return_id, product_id, product_name, quantity, refund_amount)
       VALUES ($1, $2, 'Pike lure', 1, 12.50)`,
      [returnId, productId],
    );
    const approved = createEvent(ReturnApproved, orderId, {
      returnId,
      orderId,
      userId: users[0]!.user_id,
      by: 'ADMIN',
    });
    await send([approved, approved]);
    await waitFor(async () => (await statusOf(orderId)).fulfillment_status === 'RETURNED', 20_000);
    await waitFor(() => worker.consumer.stats.duplicates >= 1, 10_000);
    const { rows } = await orderPool.query<{ status: string }>(
      `SELECT status::text AS status FROM returns WHERE id = $1`,
      [returnId],
    );
    expect(rows).toEqual([{ status: 'RECEIVED' }]);
    expect((await outboxOf(orderId)).filter((type) => type === 'ReturnReceived')).toHaveLength(1);
    expect((await stepsOf(orderId)).at(-1)).toEqual({ status: 'RETURNED', actor: 'CARRIER' });
    await stop(worker);
  });
});
