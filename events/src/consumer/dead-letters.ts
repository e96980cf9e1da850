import type { Kafka, Producer } from '@shop/kafka';
import { TOPICS } from '../topics.ts';
import { idempotentProducer } from '../shared/producer.ts';

/** Headers a dead letter carries next to the original key, value and headers. */
export const DLQ_HEADERS = {
  reason: 'dlq-reason',
  consumer: 'dlq-consumer',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
} as const;

export interface DeadLetter {
  /** Where the dead letter sits on the dead-letter topic. */
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  reason: string;
  consumer: string;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  attempts: number;
  failedAt: string;
  /** The original message's headers (without the dlq-* ones). */
  headers: Record<string, string>;
}

/**
 * The dead letter of a consumed message: its key, value and own headers (the dlq-* headers of an
 * earlier hand-off are dropped, the new ones replace them), with where it came from and why.
 */
export function deadLetterOf(
  message: { key: Buffer | null; value: Buffer | null; headers?: Record<string, unknown> },
  source: { topic: string; partition: number; offset: string },
  why: { reason: string; consumer: string; attempts: number },
): Omit<DeadLetter, 'partition' | 'offset'> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(message.headers ?? {}))
    if (v !== undefined && !k.startsWith('dlq-')) headers[k] = String(v);
  return {
    key: message.key?.toString() ?? null,
    value: message.value,
    ...why,
    sourceTopic: source.topic,
    sourcePartition: source.partition,
    sourceOffset: source.offset,
    failedAt: new Date().toISOString(),
    headers,
  };
}

export async function sendDeadLetter(
  producer: Producer,
  topic: string,
  letter: Omit<DeadLetter, 'partition' | 'offset'>,
): Promise<void> {
  await producer.send({
    topic,
    acks: -1,
    messages: [
      {
        key: letter.key,
        value: letter.value,
        headers: {
          ...letter.headers,
          [DLQ_HEADERS.reason]: letter.reason.slice(0, 4000),
          [DLQ_HEADERS.consumer]: letter.consumer,
          [DLQ_HEADERS.sourceTopic]: letter.sourceTopic,
          [DLQ_HEADERS.sourcePartition]: String(letter.sourcePartition),
          [DLQ_HEADERS.sourceOffset]: letter.sourceOffset,
          [DLQ_HEADERS.attempts]: String(letter.attempts),
          [DLQ_HEADERS.failedAt]: letter.failedAt,
        },
      },
    ],
  });
}

/** Reads the whole dead-letter topic (up to its current end) and returns its letters. */
export async function listDeadLetters(
  kafka: Kafka,
  options: { topic?: string; filter?: (letter: DeadLetter) => boolean } = {},
): Promise<DeadLetter[]> {
  const topic = options.topic ?? TOPICS.deadLetters.name;
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const remaining = new Map(
    offsets
      .filter((o) => BigInt(o.high) > BigInt(o.low))
      .map((o) => [o.partition, BigInt(o.high) - 1n]),
  );
  const letters: DeadLetter[] = [];
  if (remaining.size === 0) return letters;
  const consumer = kafka.consumer({ groupId: `dlq-reader-${process.pid}-${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const last = remaining.get(partition);
            if (last === undefined || BigInt(message.offset) > last) return;
            const all: Record<string, string> = {};
            for (const [k, v] of Object.entries(message.headers ?? {}))
              if (v !== undefined) all[k] = Array.isArray(v) ? String(v[0]) : String(v);
            const headers = Object.fromEntries(
              Object.entries(all).filter(([k]) => !k.startsWith('dlq-')),
            );
            const letter: DeadLetter = {
              partition,
              offset: message.offset,
              key: message.key?.toString() ?? null,
              value: message.value,
              reason: all[DLQ_HEADERS.reason] ?? '',
              consumer: all[DLQ_HEADERS.consumer] ?? '',
              sourceTopic: all[DLQ_HEADERS.sourceTopic] ?? '',
              sourcePartition: Number(all[DLQ_HEADERS.sourcePartition] ?? -1),
              sourceOffset: all[DLQ_HEADERS.sourceOffset] ?? '',
              attempts: Number(all[DLQ_HEADERS.attempts] ?? 0),
              failedAt: all[DLQ_HEADERS.failedAt] ?? '',
              headers,
            };
            if (!options.filter || options.filter(letter)) letters.push(letter);
            if (BigInt(message.offset) >= last) remaining.delete(partition);
            if (remaining.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return letters.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
}

/**
 * Republishes dead letters to their source topic with their original key, value and headers
 * (plus where they came from). Consumers' inboxes make a replay of something already handled
 * harmless. Returns how many were replayed.
 */
export async function replayDeadLetters(
  kafka: Kafka,
  letters: readonly DeadLetter[],
  options: { dlqTopic?: string } = {},
): Promise<number> {
  if (letters.length === 0) return 0;
  const producer = idempotentProducer(kafka);
  await producer.connect();
  try {
    for (const letter of letters)
      await producer.send({
        topic: letter.sourceTopic,
        acks: -1,
        messages: [
          {
            key: letter.key,
            value: letter.value,
            headers: {
              ...letter.headers,
              'dlq-replayed-from': `${options.dlqTopic ?? TOPICS.deadLetters.name}:${letter.partition}:${letter.offset}`,
            },
          },
        ],
      });
  } finally {
    await producer.disconnect();
  }
  return letters.length;
}
