import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from '@shop/kafka';
import {
  EventConsumer,
  OrderPlaced,
  createEvent,
  encodeEvent,
  execCount,
  listDeadLetters,
  pgTransaction,
  replayDeadLetters,
} from '../src/index.ts';
import { freshTopic, orderDbUrl, testKafka, waitFor } from './helpers.ts';

let kafka: Kafka;
let pool: pg.Pool;
const consumers: EventConsumer<pg.PoolClient>[] = [];

beforeAll(async () => {
  kafka = testKafka('consumer-test');
  pool = new pg.Pool({ connectionString: orderDbUrl(), max: 4 });
  await pool.query(
    `CREATE TABLE IF NOT EXISTS events_test_effects (consumer text NOT NULL, event_id uuid NOT NULL)`,
  );
});
afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop()));
});
afterAll(async () => {
  await pool.query('DROP TABLE IF EXISTS events_test_effects');
  await pool.end();
});

function placed() {
  const orderId = randomUUID();
  return createEvent(OrderPlaced, orderId, {
    orderId,
    userId: randomUUID(),
    items: [
      { productId: randomUUID(), quantity: 1, unitPrice: { amount: '1.00', currency: 'EUR' } },
    ],
    total: { amount: '1.00', currency: 'EUR' },
  });
}

async function publish(topic: string, messages: { key: string | null; value: string }[]) {
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages });
  await producer.disconnect();
}

const effects = async (consumer: string) =>
  (await pool.query(`SELECT event_id FROM events_test_effects WHERE consumer = $1`, [consumer]))
    .rows as { event_id: string }[];

async function consumer(
  topic: string,
  dlq: string,
  fail: (eventId: string, attempt: number) => boolean,
  name = `c-${randomUUID().slice(0, 8)}`,
) {
  const c = new EventConsumer<pg.PoolClient>({
    name,
    kafka,
    topics: [topic],
    deadLetterTopic: dlq,
    checkTopic: false,
    maxAttempts: 3,
    backoff: { initialMs: 20, maxMs: 100 },
    transaction: pgTransaction(pool),
    handler: async (event, { tx, attempt }) => {
      await execCount(tx, `INSERT INTO events_test_effects VALUES ($1, $2)`, [name, event.eventId]);
      if (fail(event.eventId, attempt)) throw new Error(`boom on attempt ${attempt}`);
    },
  });
  consumers.push(c);
  await c.start();
  return { c, name };
}

describe('consumer runtime', () => {
  it('runs the effect once for a handler that fails twice, and once for a duplicate delivery', async () => {
    const topic = await freshTopic(kafka, 'cons-retry');
    const dlq = await freshTopic(kafka, 'cons-retry-dlq', 1);
    const flaky = placed();
    const dup = placed();
    await publish(topic, [encodeEvent(flaky), encodeEvent(dup), encodeEvent(dup)]);
    const { c, name } = await consumer(
      topic,
      dlq,
      (id, attempt) => id === flaky.eventId && attempt <= 2,
    );
    await waitFor(() => c.stats.handled === 2 && c.stats.duplicates === 1, 30_000);
    const rows = await effects(name);
    expect(rows.map((r) => r.event_id).sort()).toEqual([flaky.eventId, dup.eventId].sort());
    expect(c.stats.retries).toBe(2);
    expect(c.stats.deadLettered).toBe(0);
    const inbox = await pool.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = $1`, [
      name,
    ]);
    expect(inbox.rows[0].n).toBe(2);
  });

  it('sends poison and always-failing messages to the DLQ with the reason, goes on, and replays', async () => {
    const topic = await freshTopic(kafka, 'cons-poison', 1);
    const dlq = await freshTopic(kafka, 'cons-poison-dlq', 1);
    const broken = placed();
    const good = placed();
    let causeFixed = false;
    await publish(topic, [
      { key: 'k1', value: '{not json' },
      { key: 'k2', value: JSON.stringify({ ...placed(), payload: { orderId: 'x' } }) },
      encodeEvent(broken),
      encodeEvent(good),
    ]);
    const { c, name } = await consumer(topic, dlq, (id) => id === broken.eventId && !causeFixed);
    await waitFor(() => c.stats.deadLettered === 3 && c.stats.handled === 1, 30_000);
    expect((await effects(name)).map((r) => r.event_id)).toEqual([good.eventId]);

    const letters = await listDeadLetters(kafka, { topic: dlq });
    expect(letters).toHaveLength(3);
    expect(letters[0]!.reason).toMatch(/^not JSON/);
    expect(letters[1]!.reason).toMatch(
      /OrderPlaced: invalid payload: payload\.orderId|invalid payload: orderId/,
    );
    expect(letters[2]!.reason).toBe(`OrderPlaced ${broken.eventId}: boom on attempt 3`);
    for (const [i, letter] of letters.entries()) {
      expect(letter.sourceTopic).toBe(topic);
      expect(letter.consumer).toBe(name);
      expect(letter.sourceOffset).toBe(String(i));
    }
    expect(letters[2]!.attempts).toBe(3);

    causeFixed = true;
    expect(await replayDeadLetters(kafka, [letters[2]!], { dlqTopic: dlq })).toBe(1);
    await waitFor(() => c.stats.handled === 2, 30_000);
    expect((await effects(name)).map((r) => r.event_id).sort()).toEqual(
      [good.eventId, broken.eventId].sort(),
    );
  });
});
