/**
 * Outbox relay benchmark: events/s from a PostgreSQL outbox to Kafka through OutboxRelay, next
 * to a raw kafkajs producer sending the same messages (same batches, idempotent, acks=-1);
 * insert-to-published latency with the relay running; peak RSS of this process.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createKafka, ensureTopics } from '@shop/kafka';
import { migrateAll } from '@shop/prisma/migrate';
import type { StackEndpoints } from '@shop/stack';
import { OrderPlaced, OutboxRelay, createEvent, encodeEvent, writeOutboxEvent } from '@shop/events';
import { percentile } from './stats.ts';

export interface OutboxFigures {
  events: number;
  batch: number;
  rawPerSec: number;
  relayPerSec: number;
  ratio: number;
  insertToPublishedP50Ms: number;
  insertToPublishedP99Ms: number;
  peakRssMb: number;
}

export async function runOutboxBench(
  stack: StackEndpoints,
  options: { events: number; batch: number },
): Promise<OutboxFigures> {
  const N = options.events;
  const BATCH = options.batch;
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const urls = await migrateAll({
    serverUrl: stack.postgres.url,
    prefix: 'shopbench',
    services: ['order'],
  });
  const dbUrl = urls.order;
  const kafka = createKafka({ clientId: 'outbox-bench', brokers: stack.kafka.brokers });
  const admin = kafka.admin();
  await admin.connect();
  const rawTopic = `bench-raw-${randomUUID().slice(0, 8)}`;
  const relayTopic = `bench-relay-${randomUUID().slice(0, 8)}`;
  await ensureTopics(admin, [
    { name: rawTopic, partitions: 3 },
    { name: relayTopic, partitions: 3 },
  ]);

  const events = Array.from({ length: N }, () => {
    const orderId = randomUUID();
    return createEvent(OrderPlaced, orderId, {
      orderId,
      userId: randomUUID(),
      items: [
        { productId: randomUUID(), quantity: 1, unitPrice: { amount: '9.99', currency: 'EUR' } },
      ],
      total: { amount: '9.99', currency: 'EUR' },
    });
  });

  // Raw producer: the same messages, same batch size, idempotent, acks=-1.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const rawStart = performance.now();
  for (let i = 0; i < N; i += BATCH)
    await producer.send({
      topic: rawTopic,
      acks: -1,
      messages: events.slice(i, i + BATCH).map(encodeEvent),
    });
  const rawSeconds = (performance.now() - rawStart) / 1000;
  await producer.disconnect();

  // Relay throughput: N pending rows, then the relay drains them.
  const pool = new pg.Pool({ connectionString: dbUrl, max: 4 });
  await pool.query('DELETE FROM outbox_events');
  async function insert(slice: typeof events) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      for (const e of slice)
        await writeOutboxEvent(client, e, { topic: relayTopic, notify: false });
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }
  for (let i = 0; i < N; i += 500) await insert(events.slice(i, i + 500));
  const relay = new OutboxRelay({
    databaseUrl: dbUrl,
    kafka,
    batchSize: BATCH,
    pollIntervalMs: 50,
    retentionMs: 0,
  });
  const relayStart = performance.now();
  relay.start();
  while (relay.stats.published < N) await new Promise((r) => setTimeout(r, 5));
  const relaySeconds = (performance.now() - relayStart) / 1000;

  // Latency: the relay running, 2,000 events written in transactions of 10 at ~1,000 events/s.
  await pool.query('DELETE FROM outbox_events');
  const latencyEvents = events.slice(0, 2000).map((e) => ({ ...e, eventId: randomUUID() }));
  const before = relay.stats.published;
  for (let i = 0; i < latencyEvents.length; i += 10) {
    const slice = latencyEvents
      .slice(i, i + 10)
      .map((e) => ({ ...e, occurredAt: new Date().toISOString() }));
    await insert(slice);
    await pool.query('NOTIFY outbox_events');
    await new Promise((r) => setTimeout(r, 10));
  }
  while (relay.stats.published < before + latencyEvents.length)
    await new Promise((r) => setTimeout(r, 5));
  const lat = (
    await pool.query<{ ms: number }>(
      `SELECT extract(epoch FROM (sent_at - created_at)) * 1000 AS ms FROM outbox_events ORDER BY 1`,
    )
  ).rows.map((r) => Number(r.ms));
  await relay.stop();
  await pool.end();
  clearInterval(sampler);
  // The topics are this run's only: delete them so runs do not pile up partitions on the broker.
  await admin.deleteTopics({ topics: [rawTopic, relayTopic] }).catch(() => {});
  await admin.disconnect();
  const rawRate = N / rawSeconds;
  const relayRate = N / relaySeconds;
  return {
    events: N,
    batch: BATCH,
    rawPerSec: rawRate,
    relayPerSec: relayRate,
    ratio: relayRate / rawRate,
    insertToPublishedP50Ms: percentile(lat, 50),
    insertToPublishedP99Ms: percentile(lat, 99),
    peakRssMb: peakRss / 2 ** 20,
  };
}
