/**
 * Telling Kafka's permanent refusals (a topic that does not exist, a message too large) from
 * trouble that passes (a broker down), and finding which rows of a refused batch Kafka refuses.
 */
import type { Producer } from '@shop/kafka';

/**
 * Kafka error codes that retrying the same message cannot fix. UNKNOWN_TOPIC_OR_PARTITION can
 * also be brief (a topic just created, a broker still loading), which is why a row is given up
 * on only after several rejections spread over time.
 */
const TOPIC_REJECTIONS = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'INVALID_TOPIC_EXCEPTION',
  'TOPIC_AUTHORIZATION_FAILED',
]);
const MESSAGE_REJECTIONS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
]);

/** The Kafka error code when `error` (or what kafkajs wrapped in it) is a permanent rejection. */
export function rejectionOf(error: unknown): { code: string; topicLevel: boolean } | undefined {
  for (let e = error as Record<string, unknown> | undefined, depth = 0; e && depth < 5; depth++) {
    const code = typeof e.type === 'string' ? e.type : undefined;
    if (code && TOPIC_REJECTIONS.has(code)) return { code, topicLevel: true };
    if (code && MESSAGE_REJECTIONS.has(code)) return { code, topicLevel: false };
    e = (e.cause ?? e.originalError) as Record<string, unknown> | undefined;
  }
  return undefined;
}

export type OutMessage = { key: string; value: string; headers: Record<string, string> };

/** One topic's part of a batch: its rows and their messages, in the same order. */
export interface TopicBatch<Row> {
  rows: Row[];
  messages: OutMessage[];
}

/**
 * After a batch was rejected: sends each topic's messages on their own (and, for a message
 * level rejection, each message alone) so that only the rows Kafka refuses are held back and
 * the rest of the batch goes out. A claimed batch holds at most one row per aggregate, so
 * publishing around a rejected row never reorders an aggregate's events. Each topic gets a
 * fresh producer (`connect`): a kafkajs producer that once asked for an unknown topic keeps
 * asking for it in every metadata refresh and fails every later send. A transient error here
 * fails the whole batch as usual (what went out is published again: duplicates, never loss).
 * Returns each refused row with the reason.
 */
export async function isolateRejections<Row>(
  byTopic: ReadonlyMap<string, TopicBatch<Row>>,
  connect: () => Promise<Producer>,
): Promise<Map<Row, string>> {
  const rejected = new Map<Row, string>();
  const reason = (topic: string, code: string, error: unknown) =>
    `Kafka rejected it (${code}) on ${topic}: ${(error as Error).message ?? String(error)}`;
  for (const [topic, g] of byTopic) {
    // A producer whose send failed is not used again: kafkajs has already counted the refused
    // batch in the partition's sequence, so the idempotent producer's next send to it would be
    // refused as out of order.
    let producer = await connect();
    try {
      try {
        await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages: g.messages }] });
        continue;
      } catch (error) {
        const rejection = rejectionOf(error);
        if (!rejection) throw error;
        if (rejection.topicLevel) {
          for (const row of g.rows) rejected.set(row, reason(topic, rejection.code, error));
          continue;
        }
      }
      await producer.disconnect().catch(() => undefined);
      producer = await connect();
      for (const [j, message] of g.messages.entries()) {
        try {
          await producer.send({ acks: -1, topic, messages: [message] });
        } catch (one) {
          const r = rejectionOf(one);
          if (!r) throw one;
          rejected.set(g.rows[j]!, reason(topic, r.code, one));
          await producer.disconnect().catch(() => undefined);
          producer = await connect();
        }
      }
    } finally {
      await producer.disconnect().catch(() => undefined);
    }
  }
  return rejected;
}
