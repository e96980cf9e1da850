import type { Consumer, Kafka, Producer } from '@shop/kafka';
import type { Logger } from '@shop/logging';
import type { AnyEvent } from '../contracts/registry.ts';
import { decodeEvent } from '../contracts/registry.ts';
import { TOPICS } from '../topics.ts';
import { backoffDelay, sleep } from '../shared/backoff.ts';
import { deadLetterOf, sendDeadLetter } from './dead-letters.ts';
import { registerLagSubscription } from './lag.ts';
import { skipHistory } from './history.ts';
import { RestartingConsumer } from './restarting-consumer.ts';
import { PendingBatch, type CommitPoint } from './pending-batch.ts';
import { endSpans, startStoreSpan } from './trace-consume.ts';
import type { Span } from '@opentelemetry/api';
import { idempotentProducer } from '../shared/producer.ts';

export interface BatchingConsumerOptions<Row> {
  /** Consumer name: the default group id, and the `dlq-consumer` of its dead letters. */
  name: string;
  kafka: Kafka;
  topics: string[];
  groupId?: string;
  fromBeginning?: boolean;
  /** See historySettings (default: the process environment's EVENTS_HISTORY_START). */
  historyStart?: number;
  /** The rows one event adds; [] for events this consumer does not keep. A throw dead-letters it. */
  toRows: (event: AnyEvent) => Row[];
  /**
   * Stores a batch. Retried with backoff until it succeeds (a batch must be idempotent to write
   * twice); the offsets of its messages are committed only after it resolved.
   */
  write: (rows: Row[]) => Promise<void>;
  /** Write at this many rows (default 5000)... */
  maxRows?: number;
  /** ...or this long after the oldest unwritten message (default 1000 ms). */
  maxWaitMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  deadLetterTopic?: string;
  /** Require each event type to belong to the topic it came from (default true). */
  checkTopic?: boolean;
  /** kafkajs fetch size per partition (default 4 MB): fewer round trips at high rates. */
  maxBytesPerPartition?: number;
  logger?: Logger;
}

export interface BatchingConsumerStats {
  events: number;
  rows: number;
  batches: number;
  deadLettered: number;
  writeFailures: number;
  commitFailures: number;
  /** Rows read but not written yet. */
  pendingRows: number;
  /** Time spent in successful writes, in ms: the sink's share of the consumer's time. */
  writeMs: number;
  /** kafkajs consumer crashes, and the ones this consumer restarted itself. */
  crashes: number;
  restarts: number;
}

/**
 * A consumer for sinks that want rows in bulk (ClickHouse): reads whole fetches with kafkajs
 * eachBatch, validates every message against its contract (a bad one goes to the dead-letter
 * topic with the reason, before its offset can be committed), collects rows until `maxRows` or
 * `maxWaitMs`, writes them in one call and only then commits the offsets. A crash between write
 * and commit re-delivers the batch: at-least-once, so the sink must collapse duplicates.
 *
 * Unlike EventConsumer there is no inbox: a per-event dedup write would cost what the batch saves.
 */
export class BatchingEventConsumer<Row> {
  readonly stats: BatchingConsumerStats = {
    events: 0,
    rows: 0,
    batches: 0,
    deadLettered: 0,
    writeFailures: 0,
    commitFailures: 0,
    pendingRows: 0,
    writeMs: 0,
    crashes: 0,
    restarts: 0,
  };
  private readonly consumer: RestartingConsumer;
  private readonly producer: Producer;
  private readonly pending: PendingBatch<Row>;
  private readonly abort = new AbortController();
  private stopping = false;
  /** Spans of the traced messages whose rows are pending (see startStoreSpan). */
  private pendingSpans: Span[] = [];
  private flushing = false;
  private flushChain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: (() => Promise<void>) | undefined;
  private markJoined: () => void = () => undefined;
  /** Resolves when the consumer first joined its group (fetching starts right after). */
  readonly joined: Promise<void> = new Promise((resolve) => (this.markJoined = resolve));

  constructor(private readonly options: BatchingConsumerOptions<Row>) {
    // What was read but not written when a consumer is replaced is dropped: its offsets were
    // never committed, so the new consumer reads it again.
    this.consumer = new RestartingConsumer({
      name: options.name,
      create: () => this.newConsumer(),
      run: (consumer) => this.run(consumer),
      beforeRestart: async () => {
        await this.flushChain;
        this.pending.take();
        this.stats.pendingRows = 0;
      },
      stats: this.stats,
      signal: this.abort.signal,
      logger: options.logger,
    });
    this.producer = idempotentProducer(options.kafka);
    this.pending = new PendingBatch({
      maxRows: options.maxRows ?? 5000,
      maxWaitMs: options.maxWaitMs ?? 1000,
    });
    // The worker that exports these stats also exports this group's lag (serveWorker).
    registerLagSubscription(this.stats, {
      kafka: options.kafka,
      groupId: options.groupId ?? options.name,
      topics: options.topics,
      fromBeginning: options.fromBeginning ?? true,
    });
  }

  private newConsumer(): Consumer {
    const perPartition = this.options.maxBytesPerPartition ?? 4 * 1024 * 1024;
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId ?? this.options.name,
      maxBytesPerPartition: perPartition,
      maxBytes: 4 * perPartition,
    });
    consumer.on(consumer.events.GROUP_JOIN, () => this.markJoined());
    return consumer;
  }

  async start(): Promise<void> {
    await this.producer.connect();
    // kafkajs only calls eachBatch when messages arrive: time-based flushes need their own clock.
    const tick = Math.max(10, Math.floor((this.options.maxWaitMs ?? 1000) / 4));
    this.timer = setInterval(() => {
      if (!this.flushing && this.pending.due(Date.now())) void this.flush().catch(() => undefined);
    }, tick);
    const { kafka, groupId, name, topics, historyStart, logger } = this.options;
    await skipHistory(kafka, groupId ?? name, topics, historyStart, logger);
    await this.consumer.start();
  }

  private async run(consumer: Consumer): Promise<void> {
    await consumer.connect();
    for (const topic of this.options.topics)
      await consumer.subscribe({ topic, fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        this.heartbeat = heartbeat;
        const checkTopic = this.options.checkTopic ?? true;
        const rows: Row[] = [];
        const spans: Span[] = [];
        let last: string | undefined;
        for (const message of batch.messages) {
          if (this.stopping || !isRunning() || isStale()) break;
          try {
            const event = decodeEvent(message.value, checkTopic ? batch.topic : undefined);
            const before = rows.length;
            for (const row of this.options.toRows(event)) rows.push(row);
            this.stats.events++;
            // A span only for an event this sink keeps rows of (the others cost it nothing).
            const span =
              rows.length > before &&
              startStoreSpan(message.headers, {
                consumer: this.options.name,
                groupId: this.options.groupId ?? this.options.name,
                eventType: event.type,
                eventId: event.eventId,
                topic: batch.topic,
                partition: batch.partition,
                offset: message.offset,
              });
            if (span) spans.push(span);
          } catch (error) {
            await this.deadLetter(message, batch.topic, batch.partition, (error as Error).message);
          }
          last = message.offset;
        }
        if (last === undefined) return;
        this.pending.add(batch.topic, batch.partition, last, rows, Date.now());
        this.pendingSpans.push(...spans);
        this.stats.pendingRows = this.pending.rowCount;
        // Moves the fetch position on; the commit waits for the write.
        resolveOffset(last);
        if (this.pending.due(Date.now())) await this.flush();
        await heartbeat();
      },
    });
  }

  /** Writes what is pending and commits its offsets; flushes never overlap. */
  flush(attempts = Infinity): Promise<void> {
    const run = this.flushChain.then(() => this.flushNow(attempts));
    this.flushChain = run.catch(() => undefined);
    return run;
  }

  private async flushNow(attempts: number): Promise<void> {
    if (this.pending.isEmpty) return;
    this.flushing = true;
    try {
      const { rows, offsets } = this.pending.take();
      const spans = this.pendingSpans.splice(0);
      this.stats.pendingRows = 0;
      for (let attempt = 1; ; attempt++) {
        try {
          const started = performance.now();
          if (rows.length > 0) await this.options.write(rows);
          this.stats.writeMs += performance.now() - started;
          break;
        } catch (error) {
          this.stats.writeFailures++;
          // Uncommitted offsets bring these messages back after a restart: nothing is lost.
          if (attempt >= attempts || this.abort.signal.aborted) {
            endSpans(spans, error);
            throw error;
          }
          const delay = backoffDelay(
            attempt,
            this.options.backoff ?? { initialMs: 200, maxMs: 10_000 },
          );
          this.options.logger?.warn(
            { err: error, rows: rows.length, attempt, retryInMs: delay },
            'batch write failed, retrying',
          );
          await sleep(delay, this.abort.signal);
          await this.heartbeat?.().catch(() => undefined);
        }
      }
      endSpans(spans);
      this.stats.rows += rows.length;
      this.stats.batches++;
      await this.commit(offsets);
    } finally {
      this.flushing = false;
    }
  }

  private async commit(offsets: CommitPoint[]): Promise<void> {
    try {
      await this.consumer.consumer.commitOffsets(offsets);
    } catch (error) {
      // A rebalance took the partitions: their new owner reads the batch again, and the sink
      // collapses the copies.
      this.stats.commitFailures++;
      this.options.logger?.warn({ err: error, offsets }, 'offset commit failed after a write');
    }
  }

  private async deadLetter(
    message: {
      key: Buffer | null;
      value: Buffer | null;
      offset: string;
      headers?: Record<string, unknown>;
    },
    topic: string,
    partition: number,
    reason: string,
  ): Promise<void> {
    await sendDeadLetter(
      this.producer,
      this.options.deadLetterTopic ?? TOPICS.deadLetters.name,
      deadLetterOf(
        message,
        { topic, partition, offset: message.offset },
        { reason, consumer: this.options.name, attempts: 0 },
      ),
    );
    this.stats.deadLettered++;
    this.options.logger?.error(
      { topic, partition, offset: message.offset, reason },
      'message sent to the dead-letter topic',
    );
  }

  /** Writes what is pending once more (no retries), commits it, and leaves the group. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    this.abort.abort();
    await this.flushChain;
    await this.flush(1).catch((error: unknown) =>
      this.options.logger?.warn({ err: error }, 'final batch not written; it is read again later'),
    );
    await this.consumer.disconnect();
    await this.producer.disconnect().catch(() => undefined);
  }
}

/** What analytics-style workers pass the same way to every batching consumer they run. */
export type BatchingWorkerSettings = Pick<
  BatchingConsumerOptions<unknown>,
  'kafka' | 'maxRows' | 'maxWaitMs' | 'backoff' | 'deadLetterTopic' | 'logger'
>;
