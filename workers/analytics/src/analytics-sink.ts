/**
 * The analytics sink: product views and order events (placement, outcome, the parcel's steps,
 * received returns) -> ClickHouse, in batches, committing Kafka offsets only after the insert. Redelivered events collapse in the ReplacingMergeTree tables and
 * the read queries count distinct events, so at-least-once delivery never double-counts.
 */
import {
  applyAnalyticsSchema,
  insertAnalyticsRows,
  type AnalyticsRow,
  type AnalyticsStore,
} from '@shop/analytics';
import { BatchingEventConsumer, TOPICS, type BatchingWorkerSettings } from '@shop/events';
import { eventRows } from './event-rows.ts';

export { eventRows } from './event-rows.ts';

export interface AnalyticsSinkOptions extends BatchingWorkerSettings {
  store: AnalyticsStore;
  /** Private topics (tests, benchmarks); the contracts' own topics otherwise. */
  topics?: { productViews: string; orders: string };
  name?: string;
  fromBeginning?: boolean;
}

export interface AnalyticsSink {
  consumer: BatchingEventConsumer<AnalyticsRow>;
  stop(): Promise<void>;
}

export async function startAnalyticsSink(options: AnalyticsSinkOptions): Promise<AnalyticsSink> {
  await applyAnalyticsSchema(options.store);
  const consumer = new BatchingEventConsumer<AnalyticsRow>({
    name: options.name ?? 'analytics',
    kafka: options.kafka,
    topics: options.topics
      ? [options.topics.productViews, options.topics.orders]
      : [TOPICS.productViews.name, TOPICS.orders.name],
    // Private topics are not the contracts' own, so the per-message topic check is off for them.
    checkTopic: options.topics === undefined,
    fromBeginning: options.fromBeginning,
    toRows: eventRows,
    write: (rows) => insertAnalyticsRows(options.store, rows),
    maxRows: options.maxRows,
    maxWaitMs: options.maxWaitMs,
    backoff: options.backoff,
    deadLetterTopic: options.deadLetterTopic,
    logger: options.logger,
  });
  await consumer.start();
  return { consumer, stop: () => consumer.stop() };
}
