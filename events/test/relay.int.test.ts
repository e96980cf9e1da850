import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureTopics, type Kafka } from '@shop/kafka';
import {
  OrderPlaced,
  OutboxRelay,
  createEvent,
  decodeEvent,
  writeOutboxEvent,
  type AnyEvent,
  type FailedRow,
} from '../src/index.ts';
import {
  brokers,
  collect,
  freshTopic,
  lateProxy,
  orderDbUrl,
  testKafka,
  waitFor,
  withDb,
} from './helpers.ts';

const userId = randomUUID();
const productId = randomUUID();

function placed(orderId = randomUUID()) {
  return createEvent(OrderPlaced, orderId, {
    orderId,
    userId,
    items: [{ productId, quantity: 1, unitPrice: { amount: '5.00', currency: 'EUR' } }],
    total: { amount: '5.00', currency: 'EUR' },
  });
}

/** Writes events in one committed (or rolled back) transaction. */
async function write(topic: string, events: AnyEvent[], commit = true) {
  await withDb(orderDbUrl(), async (db) => {
    await db.query('BEGIN');
    for (const event of events) await writeOutboxEvent(db, event, { topic });
    await db.query(commit ? 'COMMIT' : 'ROLLBACK');
  });
}

const pending = () =>
  withDb(orderDbUrl(), async (db) =>
    Number(
      (await db.query(`SELECT count(*) AS n FROM outbox_events WHERE status = 'pending'`)).rows[0]
        .n,
    ),
  );

let kafka: Kafka;
const relays: OutboxRelay[] = [];
const relay = (options: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}) => {
  const r = new OutboxRelay({
    databaseUrl: orderDbUrl(),
    kafka,
    pollIntervalMs: 200,
    backoff: { initialMs: 50, maxMs: 500 },
    ...options,
  });
  relays.push(r);
  return r;
};

beforeEach(async () => {
  kafka = testKafka();
  await withDb(orderDbUrl(), (db) => db.query('DELETE FROM outbox_events'));
});
afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.stop()));
});

describe('outbox relay', () => {
  it('publishes committed rows keyed by aggregate id, never rolled-back ones', async () => {
    const topic = await freshTopic(kafka, 'relay-basic');
    const kept = [placed(), placed()];
    const rolledBack = placed();
    await write(topic, kept);
    await write(topic, [rolledBack], false);
    const r = relay();
    r.start();
    const messages = await collect(kafka, topic, (m) => m.length >= 2, 20_000, 1500);
    expect(messages).toHaveLength(2);
    const events = messages.map((m) => decodeEvent(m.value));
    expect(events.map((e) => e.eventId).sort()).toEqual(kept.map((e) => e.eventId).sort());
    for (const m of messages) {
      expect(m.key).toBe(decodeEvent(m.value).aggregateId);
      expect(m.headers['event-type']).toBe('OrderPlaced');
    }
    expect(events.map((e) => e.eventId)).not.toContain(rolledBack.eventId);
    expect(await pending()).toBe(0);
  });

  it('wakes on NOTIFY long before the next poll', async () => {
    const topic = await freshTopic(kafka, 'relay-notify');
    const r = relay({ pollIntervalMs: 60_000 });
    r.start();
    await new Promise((res) => setTimeout(res, 1000)); // LISTEN is up and the first poll is done
    const started = Date.now();
    await write(topic, [placed()]);
    await waitFor(() => r.stats.published === 1, 10_000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('two replicas publish each row exactly once between them, one order per aggregate', async () => {
    const topic = await freshTopic(kafka, 'relay-replicas');
    const orderIds = Array.from({ length: 40 }, () => randomUUID());
    const events: AnyEvent[] = [];
    for (let i = 0; i < 300; i++) events.push(placed(orderIds[i % orderIds.length]));
    const a = relay({ batchSize: 20 });
    const b = relay({ batchSize: 20 });
    a.start();
    b.start();
    // Both connected and idle before the rows arrive: rows written first could all go to the
    // replica that happened to connect to Kafka first (then b published none, a flaky failure).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (let i = 0; i < events.length; i += 50) await write(topic, events.slice(i, i + 50));
    await waitFor(async () => (await pending()) === 0, 30_000);
    const messages = await collect(kafka, topic, (m) => m.length >= 300, 20_000, 1500);
    const ids = messages.map((m) => decodeEvent(m.value).eventId);
    expect(ids).toHaveLength(300);
    expect(new Set(ids).size).toBe(300);
    expect(a.stats.published).toBeGreaterThan(0);
    expect(b.stats.published).toBeGreaterThan(0);
    expect(a.stats.published + b.stats.published).toBe(300);
    // Within each aggregate (one partition), events arrive in the order they were written.
    const written = new Map(events.map((e, i) => [e.eventId, i]));
    const byKey = new Map<string, number[]>();
    for (const m of [...messages].sort((x, y) => Number(x.offset) - Number(y.offset))) {
      const list = byKey.get(m.key!) ?? [];
      list.push(written.get(decodeEvent(m.value).eventId)!);
      byKey.set(m.key!, list);
    }
    for (const list of byKey.values()) expect(list).toEqual([...list].sort((x, y) => x - y));
  });

  it('refreshes the outbox statistics when a backlog starts, at most once per interval', async () => {
    const topic = await freshTopic(kafka, 'relay-backlog');
    // Manual ANALYZEs only (autovacuum's are counted apart).
    const analyzed = () =>
      withDb(orderDbUrl(), async (db) =>
        Number(
          (
            await db.query(
              `SELECT analyze_count AS n FROM pg_stat_user_tables WHERE relname = 'outbox_events'`,
            )
          ).rows[0].n,
        ),
      );
    const before = await analyzed();
    await write(
      topic,
      Array.from({ length: 25 }, () => placed()),
    );
    const r = relay({ batchSize: 10 });
    r.start();
    await waitFor(() => r.stats.published === 25);
    expect(r.stats.statisticsRefreshes).toBe(1);
    await expect.poll(analyzed).toBeGreaterThan(before);
    // A second backlog within the interval: the statistics are recent enough.
    await write(
      topic,
      Array.from({ length: 25 }, () => placed()),
    );
    r.poke();
    await waitFor(() => r.stats.published === 50);
    expect(r.stats.statisticsRefreshes).toBe(1);
  });

  it('publishes a duplicate (never a loss) when it crashes between publish and mark', async () => {
    const topic = await freshTopic(kafka, 'relay-crash');
    let crashes = 0;
    const r = relay({
      batchSize: 10,
      chaos: { crashRate: 1, publishFailureRate: 0 },
      onChaosCrash: () => {
        if (++crashes >= 2) r.setChaos(undefined);
      },
    });
    await write(
      topic,
      Array.from({ length: 10 }, () => placed()),
    );
    r.start();
    await waitFor(async () => (await pending()) === 0, 20_000);
    const messages = await collect(kafka, topic, (m) => m.length >= 30, 20_000, 1000);
    const ids = messages.map((m) => decodeEvent(m.value).eventId);
    expect(new Set(ids).size).toBe(10);
    expect(ids).toHaveLength(30); // two abandoned batches, then the one that was marked
    expect(r.stats.duplicatesForced).toBe(20);
  });

  it('retries with backoff while Kafka is unreachable and publishes once it can', async () => {
    const topic = await freshTopic(kafka, 'relay-down');
    const [host, port] = brokers()[0]!.split(':');
    const proxy = await lateProxy({ host: host!, port: Number(port) });
    const r = relay({
      kafka: testKafka('relay-down', [proxy.address]),
      backoff: { initialMs: 100, maxMs: 400 },
    });
    await write(topic, [placed(), placed()]);
    r.start();
    await waitFor(() => r.stats.failures >= 2, 30_000);
    expect(r.stats.published).toBe(0);
    expect(await pending()).toBe(2);
    await proxy.open();
    try {
      await waitFor(() => r.stats.published === 2, 30_000);
      const messages = await collect(kafka, topic, (m) => m.length >= 2, 20_000, 500);
      expect(messages).toHaveLength(2);
    } finally {
      await r.stop();
      await proxy.close();
    }
  });

  it('gives up on rows Kafka keeps rejecting (failed, with the error) without holding up the rest', async () => {
    const good = await freshTopic(kafka, 'relay-good');
    const missing = `t-relay-missing-${randomUUID().slice(0, 8)}`;
    const blockedOrder = randomUUID();
    const first = placed(blockedOrder);
    const second = placed(blockedOrder);
    const others = [placed(), placed(), placed()];
    await write(missing, [first]);
    await write(good, [second, ...others]);
    const huge = randomUUID();
    await withDb(orderDbUrl(), (db) =>
      db.query(
        `INSERT INTO outbox_events (id, aggregate_type, aggregate_id, topic, type, payload)
         VALUES ($1::uuid, 'Order', $1::text, $2, 'OrderPlaced', jsonb_build_object('blob', repeat('x', 1200000)))`,
        [huge, good],
      ),
    );
    const failed: FailedRow[] = [];
    const r = relay({
      maxRejections: 3,
      rejectionBackoff: { initialMs: 100, maxMs: 200 },
      onFailed: (row) => failed.push(row),
    });
    r.start();
    // The rows behind no rejected row go out at once, long before the rejected ones fail
    // (perhaps twice: Kafka may have taken them from the refused batch already).
    const ids = (messages: { value: string | null }[]) =>
      [...new Set(messages.map((m) => decodeEvent(m.value).eventId))].sort();
    const early = await collect(kafka, good, (m) => ids(m).length >= 3, 20_000);
    expect(ids(early)).toEqual(others.map((e) => e.eventId).sort());
    await waitFor(() => failed.length === 2, 30_000);
    const rows = await withDb(orderDbUrl(), async (db) => {
      const q = await db.query<{
        id: string;
        status: string;
        rejections: number;
        last_error: string;
        failed_at: Date | null;
      }>(`SELECT id, status, rejections, last_error, failed_at FROM outbox_events`);
      return new Map(q.rows.map((row) => [row.id, row]));
    });
    expect(rows.get(first.eventId)).toMatchObject({ status: 'failed', rejections: 3 });
    expect(rows.get(first.eventId)!.last_error).toMatch(/UNKNOWN_TOPIC_OR_PARTITION/);
    expect(rows.get(huge)).toMatchObject({ status: 'failed', rejections: 3 });
    expect(rows.get(huge)!.last_error).toMatch(/MESSAGE_TOO_LARGE/);
    expect(rows.get(huge)!.failed_at).toBeInstanceOf(Date);
    expect(failed.map((f) => f.id).sort()).toEqual([first.eventId, huge].sort());
    expect(r.stats.failed).toBe(2);
    // The order's next event waited behind the failed one, then went (order kept as far as it can be).
    await waitFor(async () => (await pending()) === 0, 20_000);
    const all = await collect(kafka, good, (m) => ids(m).length >= 4, 20_000);
    expect(ids(all)).toContain(second.eventId);
    expect(await pending()).toBe(0);

    // The cause fixed (the topic exists now), a requeue publishes the failed row.
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [{ name: missing, partitions: 1 }]).finally(() => admin.disconnect());
    expect(await r.requeueFailed([first.eventId])).toBe(1);
    const replayed = await collect(kafka, missing, (m) => m.length >= 1, 20_000);
    expect(replayed.map((m) => decodeEvent(m.value).eventId)).toEqual([first.eventId]);
  });

  it('deletes sent rows older than the retention and keeps pending ones', async () => {
    const topic = await freshTopic(kafka, 'relay-retention');
    await write(topic, [placed(), placed(), placed()]);
    const r = relay({ retentionMs: 1, listen: false });
    await r.publishBatch();
    await write(topic, [placed()]);
    await new Promise((res) => setTimeout(res, 20));
    expect(await r.deleteSent()).toBe(3);
    expect(await pending()).toBe(1);
  });
});
