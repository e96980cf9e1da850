import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { TOPICS, type TopicKey } from '../topics.ts';

/**
 * The envelope every event travels in, on Kafka and in the outbox. `aggregateId` is the
 * Kafka message key, so one aggregate's events stay ordered within a partition.
 */
export const envelopeSchema = z.object({
  eventId: z.uuid(),
  type: z.string().min(1).max(128),
  version: z.number().int().positive(),
  aggregateId: z.string().min(1).max(128),
  occurredAt: z.iso.datetime({ offset: true }),
  payload: z.unknown(),
});

export type Envelope = z.infer<typeof envelopeSchema>;

/** One event type: its name, version, topic, aggregate kind and payload schema. */
export interface EventContract<
  T extends string = string,
  P extends z.ZodType = z.ZodType,
  K extends TopicKey = TopicKey,
> {
  type: T;
  version: number;
  topicKey: K;
  topic: (typeof TOPICS)[K]['name'];
  aggregateType: string;
  payload: P;
}

export function defineEvent<const T extends string, P extends z.ZodType, K extends TopicKey>(
  type: T,
  options: { version?: number; topic: K; aggregateType: string; payload: P },
): EventContract<T, P, K> {
  return {
    type,
    version: options.version ?? 1,
    topicKey: options.topic,
    topic: TOPICS[options.topic].name,
    aggregateType: options.aggregateType,
    payload: options.payload,
  };
}

/** A validated event of one contract. */
export interface EventOf<C extends EventContract> {
  eventId: string;
  type: C['type'];
  version: number;
  aggregateId: string;
  occurredAt: string;
  payload: z.infer<C['payload']>;
}

/** A message that does not match its contract: the reason goes to the dead-letter topic. */
export class ContractError extends Error {
  override name = 'ContractError';
}

export function newEventId(): string {
  return randomUUID();
}

export function formatZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
