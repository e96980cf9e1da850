import pg from 'pg';
import type { Kafka, Producer } from '@shop/kafka';
import type { Logger } from '@shop/logging';
import { encodeEvent } from '../contracts/registry.ts';
import { backoffDelay, sleep, wakeUp } from '../shared/backoff.ts';
import { ChaosError, chaosHits, type ChaosOptions } from '../shared/chaos.ts';
import { idempotentProducer } from '../shared/producer.ts';
import { isolateRejections, rejectionOf, type TopicBatch } from './kafka-rejections.ts';
import { listenForOutbox } from './outbox-listener.ts';
import { startPublishSpans, type PublishSpans } from './trace-publish.ts';
import {
  claimRows,
  deleteSentRows,
  markAttemptFailed,
  markRejected,
  refreshOutboxStatistics,
  requeueFailedRows,
  type ClaimedRow,
  type FailedRow,
} from './outbox-rows.ts';

export type { FailedRow } from './outbox-rows.ts';

export interface RelayOptions {
  /** The database whose outbox_events this relay publishes. */
  databaseUrl: string;
  kafka: Kafka;
  logger?: Logger;
  /** Rows claimed per batch. */
  batchSize?: number;
  /** Polling interval when no NOTIFY arrives (the fallback path). */
  pollIntervalMs?: number;
  /**
   * After a NOTIFY, how long to wait for more commits before claiming (default 5 ms): at high
   * rates several rows share one batch, at the cost of this much latency.
   */
  lingerMs?: number;
  /** Backoff while Kafka or the database fails. */
  backoff?: { initialMs: number; maxMs: number };
  /**
   * Rejections (Kafka refusing a row for a reason retrying cannot fix: unknown topic, message
   * too large) after which a row is marked failed instead of retried (default 5), and the wait
   * before a rejected row is tried again.
   */
  maxRejections?: number;
  rejectionBackoff?: { initialMs: number; maxMs: number };
  /** Sent rows older than this are deleted; 0 keeps them. */
  retentionMs?: number;
  /**
   * When a backlog starts (a full batch after a partial one), the outbox's planner statistics
   * are refreshed, at most once per this many ms (default 60 s; 0 never): see
   * refreshOutboxStatistics.
   */
  statisticsRefreshMs?: number;
  cleanupIntervalMs?: number;
  /** Listen for NOTIFY wake-ups (default true). */
  listen?: boolean;
  chaos?: ChaosOptions;
  /**
   * What a chaos crash does. The library default abandons the batch after publishing it (its
   * rows stay pending, so it is published again); main.ts kills the process instead.
   */
  onChaosCrash?: () => void;
  /** Called after each batch; metrics hook. */
  onBatch?: (stats: { published: number; durationMs: number }) => void;
  onPublishError?: (error: unknown) => void;
  /** Called for each row the relay gave up on (status failed): alert on it. */
  onFailed?: (row: FailedRow) => void;
}

export interface RelayStats {
  published: number;
  batches: number;
  failures: number;
  duplicatesForced: number;
  deleted: number;
  /** Rows Kafka rejected (each rejection counts), and rows given up on. */
  rejected: number;
  failed: number;
  /** Backlogs met with the outbox's statistics refreshed (ANALYZE). */
  statisticsRefreshes: number;
}

/**
 * Publishes the outbox of one database to Kafka: claim a batch, publish it keyed by aggregate
 * id with an idempotent producer (acks=all), mark it sent, commit. A failure between publish
 * and commit leaves the rows pending, so they are published again: duplicates, never loss.
 */
export class OutboxRelay {
  readonly stats: RelayStats = {
    published: 0,
    batches: 0,
    failures: 0,
    duplicatesForced: 0,
    deleted: 0,
    rejected: 0,
    failed: 0,
    statisticsRefreshes: 0,
  };
  private readonly pool: pg.Pool;
  /** The last batch was full: rows are waiting beyond it. */
  private inBacklog = false;
  private statisticsRefreshedAt = -Infinity;
  private producer: Producer | undefined;
  private producerConnected = false;
  private listening: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private wake: AbortController = new AbortController();
  private loop: Promise<void> | undefined;
  private cleanupTimer: NodeJS.Timeout | undefined;
  private readonly o: Required<
    Pick<
      RelayOptions,
      | 'batchSize'
      | 'pollIntervalMs'
      | 'lingerMs'
      | 'backoff'
      | 'retentionMs'
      | 'statisticsRefreshMs'
      | 'cleanupIntervalMs'
      | 'maxRejections'
      | 'rejectionBackoff'
    >
  >;

  private chaos: ChaosOptions | undefined;

  constructor(private readonly options: RelayOptions) {
    this.chaos = options.chaos;
    this.o = {
      batchSize: options.batchSize ?? 500,
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      lingerMs: options.lingerMs ?? 5,
      backoff: options.backoff ?? { initialMs: 100, maxMs: 10_000 },
      retentionMs: options.retentionMs ?? 24 * 3600 * 1000,
      statisticsRefreshMs: options.statisticsRefreshMs ?? 60_000,
      cleanupIntervalMs: options.cleanupIntervalMs ?? 60_000,
      maxRejections: options.maxRejections ?? 5,
      rejectionBackoff: options.rejectionBackoff ?? { initialMs: 1000, maxMs: 30_000 },
    };
    this.pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
    this.pool.on('error', (error) => options.logger?.warn({ err: error }, 'outbox pool error'));
  }

  get running(): boolean {
    return this.loop !== undefined && !this.abort.signal.aborted;
  }

  /** True when the last publish reached Kafka (for /ready). */
  get kafkaConnected(): boolean {
    return this.producerConnected;
  }

  start(): void {
    if (this.loop) return;
    this.loop = this.run();
    if (this.options.listen ?? true)
      this.listening = listenForOutbox({
        databaseUrl: this.options.databaseUrl,
        onNotify: () => this.poke(),
        signal: this.abort.signal,
        backoff: this.o.backoff,
        logger: this.options.logger,
      });
    if (this.o.retentionMs > 0) {
      this.cleanupTimer = setInterval(() => {
        this.deleteSent().catch((error: unknown) =>
          this.options.logger?.warn({ err: error }, 'outbox cleanup failed'),
        );
      }, this.o.cleanupIntervalMs);
      this.cleanupTimer.unref();
    }
  }

  private stopped: Promise<void> | undefined;

  /** Finishes the batch in flight, then closes connections; safe to call more than once. */
  stop(): Promise<void> {
    return (this.stopped ??= this.close());
  }

  private async close(): Promise<void> {
    this.abort.abort();
    wakeUp(this.wake);
    if (this.cleanupTimer) clearInterval(this.cleanupTimer);
    await this.loop;
    await this.listening;
    await this.producer?.disconnect().catch(() => undefined);
    await this.pool.end();
  }

  /** Turns the chaos switch on, changes or (undefined) off at run time. */
  setChaos(chaos: ChaosOptions | undefined): void {
    this.chaos = chaos;
  }

  /** Wakes the loop now (NOTIFY received, or a test that does not want to wait). */
  poke(): void {
    wakeUp(this.wake);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        const published = await this.publishBatch();
        failures = 0;
        if (published === this.o.batchSize) {
          if (!this.inBacklog) await this.backlogStarted();
          this.inBacklog = true;
          continue;
        }
        this.inBacklog = false;
        await sleep(this.o.pollIntervalMs, [this.abort.signal, this.wake.signal]);
        if (this.wake.signal.aborted) {
          // Woken by a commit: the commits right behind it go in the same batch (a batch, not
          // a row, is most of the relay's cost). A commit during this wait is claimed below;
          // one after the reset wakes the loop again.
          if (this.o.lingerMs > 0) await sleep(this.o.lingerMs, this.abort.signal);
          this.wake = new AbortController();
        }
      } catch (error) {
        failures++;
        this.stats.failures++;
        this.options.onPublishError?.(error);
        const delay = backoffDelay(failures, this.o.backoff);
        this.options.logger?.warn(
          { err: error, attempt: failures, retryInMs: delay },
          'outbox batch failed, retrying',
        );
        await sleep(delay, this.abort.signal);
      }
    }
  }

  /** A backlog's claims need fresh statistics to cost one batch each (refreshOutboxStatistics). */
  private async backlogStarted(): Promise<void> {
    const interval = this.o.statisticsRefreshMs;
    if (interval <= 0 || performance.now() - this.statisticsRefreshedAt < interval) return;
    this.statisticsRefreshedAt = performance.now();
    try {
      await refreshOutboxStatistics(this.pool);
      this.stats.statisticsRefreshes++;
    } catch (error) {
      // Only the drain's speed depends on it: the relay goes on.
      this.options.logger?.warn({ err: error }, 'outbox statistics refresh failed');
    }
  }

  private async ensureProducer(): Promise<Producer> {
    this.producer ??= idempotentProducer(this.options.kafka);
    if (!this.producerConnected) {
      try {
        await this.producer.connect();
        this.producerConnected = true;
      } catch (error) {
        // A fresh producer next time: kafkajs keeps no usable state after a failed connect.
        await this.producer.disconnect().catch(() => undefined);
        this.producer = undefined;
        throw error;
      }
    }
    return this.producer;
  }

  /** Claims, publishes and marks one batch; returns how many rows it published. */
  async publishBatch(): Promise<number> {
    const started = performance.now();
    const producer = await this.ensureProducer();
    const client = await this.pool.connect();
    let claimed: ClaimedRow[] = [];
    let spans: PublishSpans<ClaimedRow> | undefined;
    try {
      await client.query('BEGIN');
      claimed = await claimRows(client, this.o.batchSize);
      if (claimed.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      const chaos = this.chaos;
      if (chaosHits(chaos?.publishFailureRate, chaos?.random))
        throw new ChaosError('chaos: publish dropped');
      spans = startPublishSpans(claimed);
      const byTopic = new Map<string, TopicBatch<ClaimedRow>>();
      for (const row of claimed) {
        let group = byTopic.get(row.topic);
        if (!group) byTopic.set(row.topic, (group = { rows: [], messages: [] }));
        group.rows.push(row);
        const message = encodeEvent({
          eventId: row.id,
          type: row.type,
          version: row.version,
          aggregateId: row.aggregate_id,
          occurredAt: row.created_at.toISOString(),
          payload: row.payload,
        });
        Object.assign(message.headers, spans.headersOf(row));
        group.messages.push(message);
      }
      let rejected = new Map<ClaimedRow, string>();
      try {
        await producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, g]) => ({ topic, messages: g.messages })),
        });
      } catch (error) {
        // Either way the producer is replaced: after a broker failure kafkajs keeps no usable
        // state, and one that asked for a topic Kafka refuses keeps asking for it.
        await this.resetProducer();
        if (!rejectionOf(error)) throw error;
        rejected = await isolateRejections(byTopic, async () => {
          const producer = idempotentProducer(this.options.kafka);
          await producer.connect();
          return producer;
        });
      }
      if (chaosHits(chaos?.crashRate, chaos?.random)) {
        this.stats.duplicatesForced += claimed.length;
        this.options.onChaosCrash?.();
        throw new ChaosError('chaos: crashed after publishing, before marking sent');
      }
      const sent = claimed.filter((r) => !rejected.has(r));
      const failed =
        rejected.size > 0
          ? await markRejected(client, rejected, {
              maxRejections: this.o.maxRejections,
              backoff: this.o.rejectionBackoff,
            })
          : [];
      await client.query('COMMIT');
      spans.end({ rejected });
      this.stats.published += sent.length;
      this.stats.rejected += rejected.size;
      this.stats.failed += failed.length;
      this.stats.batches++;
      for (const row of failed) {
        this.options.logger?.error(
          { eventId: row.id, topic: row.topic, type: row.type, error: row.error },
          'outbox row failed: Kafka kept rejecting it, the relay gave up on it',
        );
        this.options.onFailed?.(row);
      }
      this.options.onBatch?.({
        published: sent.length,
        durationMs: performance.now() - started,
      });
      // A fully rejected batch still made progress (its rows now wait), so the loop goes on.
      return sent.length + rejected.size;
    } catch (error) {
      spans?.end({ error });
      await client.query('ROLLBACK').catch(() => undefined);
      if (claimed.length > 0)
        await markAttemptFailed(this.pool, claimed, error).catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async resetProducer(): Promise<void> {
    this.producerConnected = false;
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = undefined;
  }

  /**
   * Puts failed rows back to pending (after the cause was fixed: the topic created, the
   * message limit raised); all of them, or the given ids. Returns how many.
   */
  async requeueFailed(ids?: readonly string[]): Promise<number> {
    const n = await requeueFailedRows(this.pool, ids);
    if (n > 0) this.poke();
    return n;
  }

  /** Deletes sent rows older than the retention, a bounded chunk at a time. */
  async deleteSent(): Promise<number> {
    const total = await deleteSentRows(this.pool, this.o.retentionMs);
    this.stats.deleted += total;
    return total;
  }
}
