import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
// Before any client exists: every kafkajs connection is built on the fixed request queue.
import './request-queue-fix.ts';

/**
 * The one place that builds a Kafka client. kafkajs is no longer actively maintained; keeping
 * every import of it behind this package means a swap (for example to a client with a
 * kafkajs-compatible API) touches this package only.
 */
export { logLevel, Partitioners } from 'kafkajs';
export type {
  Admin,
  Consumer,
  EachBatchPayload,
  EachMessagePayload,
  Kafka,
  Message,
  Producer,
} from 'kafkajs';

export interface KafkaOptions {
  clientId: string;
  brokers: string[];
  /** kafkajs logs through console by default; services pass `NOTHING` and log through pino. */
  logLevel?: logLevel;
  connectionTimeout?: number;
  retry?: KafkaConfig['retry'];
}

export function createKafka(options: KafkaOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: options.logLevel ?? logLevel.NOTHING,
    ...(options.connectionTimeout !== undefined
      ? { connectionTimeout: options.connectionTimeout }
      : {}),
    ...(options.retry !== undefined ? { retry: options.retry } : {}),
  });
}
