/**
 * Consumer lag against the real broker: what a worker's /metrics says for a group
 * (`kafka_consumer_lag{group,topic,partition}`) is each partition's high watermark minus the
 * group's committed offset, read with one admin client and at most every few seconds; and every
 * consumer runtime tells its worker which group to report.
 */
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTopics, type Admin, type Kafka } from '@shop/kafka';
import {
  BatchingEventConsumer,
  ConsumerLagReader,
  EventConsumer,
  lagSubscriptionOf,
  partitionLag,
  registerLagSubscription,
  type LagSubscription,
} from '../src/index.ts';
import { exportConsumerLag, exportDeadLetters } from '../src/worker/serve-worker.ts';
import { testKafka } from './helpers.ts';

const tag = randomUUID().slice(0, 8);
const topic = `t-lag-${tag}`;
const group = `lag-test-${tag}`;
let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  kafka = testKafka('lag-test');
  admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [{ name: topic, partitions: 2 }]);
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic,
    messages: [
      ...Array.from({ length: 5 }, (_, i) => ({ partition: 0, value: `a${i}` })),
      ...Array.from({ length: 3 }, (_, i) => ({ partition: 1, value: `b${i}` })),
    ],
  });
  await producer.disconnect();
});

afterAll(async () => {
  await admin?.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin?.disconnect();
});

const subscription = (fromBeginning = true): LagSubscription => ({
  kafka,
  groupId: group,
  topics: [topic],
  fromBeginning,
});

const lagLines = async (registry: Registry) =>
  (await registry.metrics())
    .split('\n')
    .filter((line) => line.startsWith(`kafka_consumer_lag{group="${group}"`))
    .sort();

describe('consumer lag', () => {
  it('counts from the committed offset, or the whole partition for a group that never committed', () => {
    expect(partitionLag('7', { low: '0', high: '10' }, true)).toBe(3);
    expect(partitionLag('10', { low: '0', high: '10' }, true)).toBe(0);
    // Never committed: a from-the-beginning group has all of it to read, a from-the-end one none.
    expect(partitionLag('-1', { low: '4', high: '10' }, true)).toBe(6);
    expect(partitionLag('-1', { low: '4', high: '10' }, false)).toBe(0);
  });

  it('is on a worker’s /metrics per partition', async () => {
    const registry = new Registry();
    const stats = { handled: 0, deadLettered: 0 };
    // What the consumer runtimes do for every consumer they create (checked below).
    registerLagSubscription(stats, subscription());
    const reader = exportConsumerLag(registry, [{ label: 'events', stats }]);
    try {
      expect(await lagLines(registry)).toEqual([
        `kafka_consumer_lag{group="${group}",topic="${topic}",partition="0"} 5`,
        `kafka_consumer_lag{group="${group}",topic="${topic}",partition="1"} 3`,
      ]);
    } finally {
      await reader?.close();
    }
  });

  it('follows the committed offsets, asking the broker at most once per interval', async () => {
    const reader = new ConsumerLagReader(kafka, [subscription()], { minIntervalMs: 3600_000 });
    const fresh = new ConsumerLagReader(kafka, [subscription()], { minIntervalMs: 0 });
    try {
      const before = await reader.read();
      await admin.setOffsets({
        groupId: group,
        topic,
        partitions: [{ partition: 0, offset: '4' }],
      });
      // Within its interval a reader answers with its last reading.
      expect(await reader.read()).toBe(before);
      expect(await fresh.read()).toEqual([
        { group, topic, partition: 0, lag: 1 },
        { group, topic, partition: 1, lag: 3 },
      ]);
      // A group that starts from the end has nothing to read on a partition it never committed.
      const fromEnd = new ConsumerLagReader(kafka, [subscription(false)], { minIntervalMs: 0 });
      try {
        expect(await fromEnd.read()).toEqual([
          { group, topic, partition: 0, lag: 1 },
          { group, topic, partition: 1, lag: 0 },
        ]);
      } finally {
        await fromEnd.close();
      }
    } finally {
      await reader.close();
      await fresh.close();
    }
  });

  it('counts dead letters under one name for every worker, from zero', async () => {
    const registry = new Registry();
    const stats = { handled: 3, deadLettered: 0 };
    exportDeadLetters(registry, [
      { label: 'orders', stats },
      { label: 'no-consumer', stats: { pending: 1 } },
    ]);
    const lines = async () =>
      (await registry.metrics()).split('\n').filter((l) => l.startsWith('dead_letters_total'));
    expect(await lines()).toEqual(['dead_letters_total{consumer="orders"} 0']);
    stats.deadLettered = 2;
    expect(await lines()).toEqual(['dead_letters_total{consumer="orders"} 2']);
  });

  it('knows the group of every consumer the runtimes make', () => {
    const noTx = async () => {
      throw new Error('not used');
    };
    const consumer = new EventConsumer({
      name: `lag-test-consumer-${tag}`,
      kafka,
      topics: [topic],
      transaction: noTx,
      handler: async () => undefined,
    });
    expect(lagSubscriptionOf(consumer.stats)).toEqual({
      kafka,
      groupId: `lag-test-consumer-${tag}`,
      topics: [topic],
      fromBeginning: true,
    });
    const batching = new BatchingEventConsumer({
      name: 'sink',
      groupId: `lag-test-sink-${tag}`,
      kafka,
      topics: [topic],
      fromBeginning: false,
      toRows: () => [],
      write: async () => undefined,
    });
    expect(lagSubscriptionOf(batching.stats)).toMatchObject({
      groupId: `lag-test-sink-${tag}`,
      fromBeginning: false,
    });
  });
});
