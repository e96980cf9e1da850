import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createKafka, ensureTopics, type Admin, type Producer } from '../src/index.ts';

const kafka = createKafka({
  clientId: 'ensure-topics-test',
  brokers: inject('stack').kafka.brokers,
});
const opened: (Admin | Producer)[] = [];
afterAll(async () => {
  await Promise.all(opened.map((c) => c.disconnect()));
});

describe('ensureTopics', () => {
  it('returns only when every partition of the new topics has a leader, and creates nothing twice', async () => {
    const admin = kafka.admin();
    const producer = kafka.producer();
    opened.push(admin, producer);
    await Promise.all([admin.connect(), producer.connect()]);
    const tag = randomUUID().slice(0, 8);
    const topics = Array.from({ length: 4 }, (_, i) => ({
      name: `t-ensure-${tag}-${i}`,
      partitions: 6,
    }));

    expect(await ensureTopics(admin, topics)).toEqual(topics.map((t) => t.name));

    // At once, on another connection: every partition takes a message (a partition without a
    // leader would fail the send).
    const sent = await producer.sendBatch({
      acks: -1,
      topicMessages: topics.map((t) => ({
        topic: t.name,
        messages: Array.from({ length: t.partitions }, (_, partition) => ({
          partition,
          value: 'x',
        })),
      })),
    });
    expect(sent.filter((r) => r.errorCode === 0)).toHaveLength(24);
    expect(await ensureTopics(admin, topics)).toEqual([]);
  });
});
