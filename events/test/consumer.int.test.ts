import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createKafka, ensureTopics, type Kafka } from '@shop/kafka';
import {
  EventConsumer,
  OrderCancelled,
  OrderCompleted,
  OrderPlaced,
  consumerRoute,
  createEvent,
  encodeEvent,
  execCount,
  listDeadLetters,
  pgTransaction,
  replayDeadLetters,
  skipHistoryBefore,
} from '../src/index.ts';
import { brokers, freshTopic, orderDbUrl, testKafka, waitFor } from './helpers.ts';

let kafka: Kafka;
let pool: pg.Pool;
const consumers: EventConsumer<pg.PoolClient>[] = [];

beforeAll(async () => {
  kafka = testKafka('consumer-test');
  pool = new pg.Pool({ connectionString: orderDbUrl(), max: 4 });
  await pool.query(
    // seq: the order the effects were written in (a partition's events keep theirs).
    `CREATE TABLE IF NOT EXISTS events_test_effects
       (consumer text NOT NULL, event_id uuid NOT NULL, seq bigserial NOT NULL)`,
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
  (
    await pool.query(`SELECT event_id FROM events_test_effects WHERE consumer = $1 ORDER BY seq`, [
      consumer,
    ])
  ).rows as { event_id: string }[];

async function consumer(
  topic: string,
  dlq: string,
  fail: (eventId: string, attempt: number) => boolean,
  name = `c-${randomUUID().slice(0, 8)}`,
  handles?: string[],
  extra: {
    inboxRetentionMs?: number;
    inboxPurgeIntervalMs?: number;
    historyStart?: number;
    sessionTimeoutMs?: number;
    /** How long each handler call takes (a slow party's call). */
    slowMs?: number;
  } = {},
) {
  const { slowMs, ...options } = extra;
  const c = new EventConsumer<pg.PoolClient>({
    name,
    kafka,
    topics: [topic],
    deadLetterTopic: dlq,
    checkTopic: false,
    maxAttempts: 3,
    backoff: { initialMs: 20, maxMs: 100 },
    transaction: pgTransaction(pool),
    handles,
    ...options,
    handler: async (event, { tx, attempt }) => {
      if (slowMs) await new Promise((resolve) => setTimeout(resolve, slowMs));
      await execCount(tx, `INSERT INTO events_test_effects VALUES ($1, $2)`, [name, event.eventId]);
      if (fail(event.eventId, attempt)) throw new Error(`boom on attempt ${attempt}`);
    },
  });
  consumers.push(c);
  await c.start();
  return { c, name };
}

describe('consumer runtime', () => {
  it('reads each message once for several routes, each with its own inbox and outcome', async () => {
    const topic = await freshTopic(kafka, 'cons-routes');
    const dlq = await freshTopic(kafka, 'cons-routes-dlq', 1);
    const tag = randomUUID().slice(0, 8);
    const route = (name: string, handles: string[], fails = false) =>
      consumerRoute<pg.PoolClient>({
        name,
        handles,
        transaction: pgTransaction(pool),
        handler: async (event, { tx }) => {
          await execCount(tx, `INSERT INTO events_test_effects VALUES ($1, $2)`, [
            name,
            event.eventId,
          ]);
          if (fails) throw new Error('this route always fails');
        },
      });
    const [both, placedOnly, broken] = [`both-${tag}`, `placed-${tag}`, `broken-${tag}`];
    const c = new EventConsumer({
      name: `routes-${tag}`,
      kafka,
      topics: [topic],
      deadLetterTopic: dlq,
      checkTopic: false,
      maxAttempts: 2,
      backoff: { initialMs: 20, maxMs: 50 },
      routes: [
        route(both, [OrderPlaced.type, OrderCancelled.type]),
        route(placedOnly, [OrderPlaced.type]),
        route(broken, [OrderCancelled.type], true),
      ],
    });
    consumers.push(c as unknown as EventConsumer<pg.PoolClient>);
    await c.start();
    const order = placed();
    const orderId = randomUUID();
    const cancelled = createEvent(OrderCancelled, orderId, {
      orderId,
      userId: randomUUID(),
      reason: 'test',
      previousStatus: 'PENDING',
    });
    const other = createEvent(OrderCompleted, orderId, {
      orderId,
      userId: randomUUID(),
      total: { amount: '1.00', currency: 'EUR' },
    });
    // The OrderPlaced twice: each route's inbox makes the second one a duplicate.
    await publish(topic, [
      encodeEvent(order),
      encodeEvent(cancelled),
      encodeEvent(other),
      encodeEvent(order),
    ]);
    await waitFor(() => c.stats.deadLettered === 1 && c.stats.duplicates === 2, 30_000);
    expect((await effects(both)).map((r) => r.event_id).sort()).toEqual(
      [order.eventId, cancelled.eventId].sort(),
    );
    expect((await effects(placedOnly)).map((r) => r.event_id)).toEqual([order.eventId]);
    expect(await effects(broken)).toEqual([]); // rolled back each time
    expect(c.stats.skipped).toBe(1); // the OrderCompleted: no route takes it
    // The failing route's message is dead-lettered under its name; the others were not held up.
    const letters = await listDeadLetters(kafka, { topic: dlq });
    expect(letters).toHaveLength(1);
    expect(letters[0]!.reason).toMatch(new RegExp(`^${broken}: OrderCancelled`));
  });

  it('handles a busy partition in shared transactions: in order, a duplicate once, a failing event alone', async () => {
    const topic = await freshTopic(kafka, 'cons-shared', 1);
    const dlq = await freshTopic(kafka, 'cons-shared-dlq', 1);
    const events = Array.from({ length: 120 }, placed);
    const failing = events[60]!;
    // Published before the consumer starts: its first fetch holds them all (121 messages,
    // three windows of 50), the duplicate of events[10] right after it.
    const messages = events.map((e) => encodeEvent(e));
    messages.splice(11, 0, encodeEvent(events[10]!));
    await publish(topic, messages);
    const { c, name } = await consumer(topic, dlq, (id) => id === failing.eventId);
    await waitFor(() => c.stats.handled === 119 && c.stats.deadLettered === 1, 30_000);
    expect((await effects(name)).map((r) => r.event_id)).toEqual(
      events.filter((e) => e !== failing).map((e) => e.eventId),
    );
    expect(c.stats.duplicates).toBe(1);
    // The failing event's window fell back to one transaction per event; the others shared.
    expect(c.stats.batchFallbacks).toBe(1);
    expect(c.stats.transactions).toBeLessThanOrEqual(2 + 50);
    const inbox = await pool.query(`SELECT count(*)::int AS n FROM inbox WHERE consumer = $1`, [
      name,
    ]);
    expect(inbox.rows[0].n).toBe(119);
    const letters = await listDeadLetters(kafka, { topic: dlq });
    expect(letters.map((l) => l.reason)).toEqual([
      `OrderPlaced ${failing.eventId}: boom on attempt 3`,
    ]);
  });

  it('keeps its group through a window of slow handlers longer than the session', async () => {
    const topic = await freshTopic(kafka, 'cons-slow', 1);
    const dlq = await freshTopic(kafka, 'cons-slow-dlq', 1);
    const events = Array.from({ length: 60 }, placed);
    await publish(
      topic,
      events.map((e) => encodeEvent(e)),
    );
    // The shortest session the broker allows: the first window (50 events at 150 ms each,
    // 7.5 s in one transaction) outlasts it unless the runtime heartbeats inside it.
    const { c, name } = await consumer(topic, dlq, () => false, undefined, undefined, {
      sessionTimeoutMs: 6000,
      slowMs: 150,
    });
    await waitFor(() => c.stats.handled === 60, 60_000);
    // Had the group dropped the member, the first window's offsets would not have been
    // committed and its events would come again (as inbox duplicates).
    await waitFor(async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const [offsets] = await admin.fetchOffsets({ groupId: name, topics: [topic] });
        return offsets!.partitions[0]!.offset === '60';
      } finally {
        await admin.disconnect();
      }
    }, 30_000);
    expect(c.stats.duplicates).toBe(0);
    expect((await effects(name)).map((r) => r.event_id)).toEqual(events.map((e) => e.eventId));
  });

  it('deletes its own inbox rows past the retention, and only those', async () => {
    const topic = await freshTopic(kafka, 'cons-retention');
    const dlq = await freshTopic(kafka, 'cons-retention-dlq', 1);
    const name = `c-${randomUUID().slice(0, 8)}`;
    const other = `c-${randomUUID().slice(0, 8)}`;
    const [old1, old2, recent, othersOld] = [
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
    ];
    await pool.query(
      `INSERT INTO inbox (consumer, event_id, processed_at) VALUES
         ($1, $3, now() - interval '10 days'), ($1, $4, now() - interval '8 days'),
         ($1, $5, now() - interval '1 hour'), ($2, $6, now() - interval '10 days')`,
      [name, other, old1, old2, recent, othersOld],
    );
    const { c } = await consumer(topic, dlq, () => false, name, undefined, {
      inboxRetentionMs: 7 * 24 * 3600_000,
      inboxPurgeIntervalMs: 100,
    });
    await waitFor(() => c.stats.inboxPurged === 2);
    const left = await pool.query(
      `SELECT event_id FROM inbox WHERE consumer IN ($1, $2) ORDER BY event_id`,
      [name, other],
    );
    expect(left.rows.map((r) => r.event_id)).toEqual([recent, othersOld].sort());
    await pool.query(`DELETE FROM inbox WHERE consumer = $1`, [other]);
  });

  it('passes over event types its handler does not act on, without a transaction or inbox row', async () => {
    const topic = await freshTopic(kafka, 'cons-handles');
    const dlq = await freshTopic(kafka, 'cons-handles-dlq', 1);
    const wanted = placed();
    const orderId = randomUUID();
    const other = createEvent(OrderCompleted, orderId, {
      orderId,
      userId: randomUUID(),
      total: { amount: '1.00', currency: 'EUR' },
    });
    // Another consumer's event is passed over by its type header, unread: even a body that
    // would not parse is not this consumer's to dead-letter.
    const othersUnreadable = { ...encodeEvent(other), value: '{not json' };
    await publish(topic, [
      encodeEvent(other),
      encodeEvent(wanted),
      othersUnreadable,
      encodeEvent(other),
    ]);
    const { c, name } = await consumer(topic, dlq, () => false, undefined, [OrderPlaced.type]);
    await waitFor(() => c.stats.handled === 1 && c.stats.skipped === 3, 30_000);
    expect(c.stats.deadLettered).toBe(0);
    expect((await effects(name)).map((r) => r.event_id)).toEqual([wanted.eventId]);
    const inbox = await pool.query(`SELECT event_id FROM inbox WHERE consumer = $1`, [name]);
    expect(inbox.rows.map((r) => r.event_id)).toEqual([wanted.eventId]);
  });

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
  it('starts at its system’s history start: what was published before is passed over, and offsets past it stay', async () => {
    const topic = await freshTopic(kafka, 'cons-history', 2);
    const dlq = await freshTopic(kafka, 'cons-history-dlq', 1);
    const now = Date.now();
    const [old1, old2, fresh] = [placed(), placed(), placed()];
    const at = (event: ReturnType<typeof placed>, timestamp: number) => ({
      ...encodeEvent(event),
      partition: 0,
      timestamp: String(timestamp),
    });
    const producer = kafka.producer();
    await producer.connect();
    // Another system's events, published before this one started (offsets 0 and 1).
    await producer.send({ topic, messages: [at(old1, now - 60_000), at(old2, now - 50_000)] });
    await producer.send({ topic, messages: [at(fresh, now)] });
    await producer.disconnect();

    const { name } = await consumer(topic, dlq, () => false, undefined, undefined, {
      historyStart: now - 30_000,
    });
    await waitFor(async () => (await effects(name)).length > 0);
    // One partition, in order: had the old events been read, their effects would be first.
    expect((await effects(name)).map((e) => e.event_id)).toEqual([fresh.eventId]);

    const admin = kafka.admin();
    await admin.connect();
    try {
      const group = `history-${randomUUID().slice(0, 8)}`;
      await admin.setOffsets({
        groupId: group,
        topic,
        partitions: [{ partition: 0, offset: '3' }],
      });
      await skipHistoryBefore(kafka, group, [topic], now - 30_000);
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      // Partition 0 was already past the start (offset 2); partition 1 never committed and
      // holds nothing since: it starts at its end.
      expect(offsets!.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual([
        [0, '3'],
        [1, '0'],
      ]);
    } finally {
      await admin.disconnect();
    }
  });

  it('restarts itself after a crash kafkajs does not restart, and goes on from where it was', async () => {
    const topic = await freshTopic(kafka, 'cons-crash', 1);
    const missingDlq = `t-cons-missing-dlq-${randomUUID().slice(0, 8)}`;
    // kafkajs restarts a crashed consumer only after errors it deems retriable; this client
    // deems none retriable (as after "group coordinator not found" following a broker restart).
    const giveUp = createKafka({
      clientId: 'consumer-crash-test',
      brokers: brokers(),
      retry: { initialRetryTime: 100, retries: 2, restartOnFailure: async () => false },
    });
    const name = `c-crash-${randomUUID().slice(0, 8)}`;
    const c = new EventConsumer<pg.PoolClient>({
      name,
      kafka: giveUp,
      topics: [topic],
      // The dead-letter topic does not exist yet: handing the poison message over fails.
      deadLetterTopic: missingDlq,
      checkTopic: false,
      transaction: pgTransaction(pool),
      handler: async (event, { tx }) => {
        await execCount(tx, `INSERT INTO events_test_effects VALUES ($1, $2)`, [
          name,
          event.eventId,
        ]);
      },
    });
    consumers.push(c);
    await c.start();
    const good = placed();
    await publish(topic, [{ key: 'x', value: 'poison' }, encodeEvent(good)]);
    await waitFor(() => c.stats.crashes > 0, 60_000);
    expect(await effects(name)).toEqual([]); // stopped at the poison message, not past it
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [{ name: missingDlq, partitions: 1 }]).finally(() =>
      admin.disconnect(),
    );
    await waitFor(async () => (await effects(name)).length === 1, 60_000);
    expect(c.stats.restarts).toBeGreaterThan(0);
    expect((await effects(name)).map((r) => r.event_id)).toEqual([good.eventId]);
    const letters = await listDeadLetters(kafka, { topic: missingDlq });
    expect(letters.map((l) => l.reason)).toEqual([expect.stringMatching(/^not JSON/)]);
  });
});
