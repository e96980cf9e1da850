/**
 * Outbox relay benchmark: events/s from a PostgreSQL outbox to Kafka through OutboxRelay, next
 * to a raw kafkajs producer sending the same messages; insert-to-published latency; peak RSS.
 * Run: npm run bench:outbox  (OUTBOX_BENCH_EVENTS=20000 by default; uses database shopbench_order)
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { createKafka, ensureTopics } from '@shop/kafka';
import { migrateAll } from '@shop/prisma/migrate';
import { ensureStack } from '@shop/stack';
import { OrderPlaced, OutboxRelay, createEvent, encodeEvent, writeOutboxEvent } from '@shop/events';

const N = Number(process.env.OUTBOX_BENCH_EVENTS ?? 20_000);
const BATCH = Number(process.env.OUTBOX_BENCH_BATCH ?? 1000);
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

const stack = await ensureStack({ verbose: false });
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
await admin.disconnect();

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
    for (const e of slice) await writeOutboxEvent(client, e, { topic: relayTopic, notify: false });
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
const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))]!;

const rawRate = N / rawSeconds;
const relayRate = N / relaySeconds;
const rows: [string, string, string][] = [
  ['raw kafkajs producer', `${rawRate.toFixed(0)} events/s`, `${N} in ${rawSeconds.toFixed(2)} s`],
  [
    'outbox relay (PG -> Kafka)',
    `${relayRate.toFixed(0)} events/s`,
    `${N} in ${relaySeconds.toFixed(2)} s`,
  ],
  [
    'relay / raw',
    `${((relayRate / rawRate) * 100).toFixed(0)} %`,
    'goal >= 50 %, >= 5,000 events/s',
  ],
  ['insert -> published p50', `${pct(50).toFixed(1)} ms`, `${lat.length} events, 10 per tx`],
  ['insert -> published p99', `${pct(99).toFixed(1)} ms`, ''],
  ['peak RSS', `${(peakRss / 1024 / 1024).toFixed(0)} MB`, 'bench process (relay + producer)'],
];
const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(w[i]!)).join('  |  '));
const ok = relayRate >= 5000 && relayRate >= rawRate / 2;
console.log(ok ? 'goal met' : 'goal MISSED');
process.exit(0);
