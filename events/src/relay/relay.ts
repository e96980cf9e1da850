import pg from 'pg';
import type { Kafka, Producer } from '@shop/kafka';
import type { Logger } from '@shop/logging';
import { OUTBOX_CHANNEL } from '../outbox/writer.ts';
import { backoffDelay, sleep } from '../shared/backoff.ts';
import { ChaosError, chaosHits, type ChaosOptions } from '../shared/chaos.ts';

export interface RelayOptions {
  /** The database whose outbox_events this relay publishes. */
  databaseUrl: string;
  kafka: Kafka;
  logger?: Logger;
  /** Rows claimed per batch. */
  batchSize?: number;
  /** Polling interval when no NOTIFY arrives (the fallback path). */
  pollIntervalMs?: number;
  /** Backoff while Kafka or the database fails. */
  backoff?: { initialMs: number; maxMs: number };
  /** Sent rows older than this are deleted; 0 keeps them. */
  retentionMs?: number;
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
}

export interface RelayStats {
  published: number;
  batches: number;
  failures: number;
  duplicatesForced: number;
  deleted: number;
}

interface ClaimedRow {
  id: string;
  aggregate_id: string;
  topic: string;
  type: string;
  version: number;
  payload: unknown;
  created_at: Date;
}

/**
 * Claims pending rows in seq order. A row is claimable only when no older pending row of the
 * same aggregate exists, so several replicas never publish one aggregate's events out of order
 * (an older row locked by another replica still reads as pending). SKIP LOCKED lets replicas
 * share the work without waiting on each other.
 */
const CLAIM = `
SELECT o.id, o.aggregate_id, o.topic, o.type, o.version, o.payload, o.created_at
  FROM outbox_events o
 WHERE o.status = 'pending'
   AND NOT EXISTS (
     SELECT 1 FROM outbox_events p
      WHERE p.aggregate_id = o.aggregate_id AND p.status = 'pending' AND p.seq < o.seq)
 ORDER BY o.seq
 LIMIT $1
 FOR UPDATE SKIP LOCKED`;

const MARK_SENT = `UPDATE outbox_events
   SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL
 WHERE id = ANY($1::uuid[])`;

const MARK_FAILED = `UPDATE outbox_events
   SET attempts = attempts + 1, last_error = $2
 WHERE id = ANY($1::uuid[]) AND status = 'pending'`;

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
  };
  private readonly pool: pg.Pool;
  private producer: Producer | undefined;
  private producerConnected = false;
  private listener: pg.Client | undefined;
  private readonly abort = new AbortController();
  private wake: AbortController = new AbortController();
  private loop: Promise<void> | undefined;
  private cleanupTimer: NodeJS.Timeout | undefined;
  private readonly o: Required<
    Pick<
      RelayOptions,
      'batchSize' | 'pollIntervalMs' | 'backoff' | 'retentionMs' | 'cleanupIntervalMs'
    >
  >;

  private chaos: ChaosOptions | undefined;

  constructor(private readonly options: RelayOptions) {
    this.chaos = options.chaos;
    this.o = {
      batchSize: options.batchSize ?? 500,
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      backoff: options.backoff ?? { initialMs: 100, maxMs: 10_000 },
      retentionMs: options.retentionMs ?? 24 * 3600 * 1000,
      cleanupIntervalMs: options.cleanupIntervalMs ?? 60_000,
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
    if (this.options.listen ?? true) void this.listenLoop();
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
    this.wake.abort();
    if (this.cleanupTimer) clearInterval(this.cleanupTimer);
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    await this.pool.end();
  }

  /** Turns the chaos switch on, changes or (undefined) off at run time. */
  setChaos(chaos: ChaosOptions | undefined): void {
    this.chaos = chaos;
  }

  /** Wakes the loop now (NOTIFY received, or a test that does not want to wait). */
  poke(): void {
    this.wake.abort();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        const published = await this.publishBatch();
        failures = 0;
        if (published === this.o.batchSize) continue;
        await sleep(this.o.pollIntervalMs, AbortSignal.any([this.abort.signal, this.wake.signal]));
        if (this.wake.signal.aborted) this.wake = new AbortController();
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

  private async ensureProducer(): Promise<Producer> {
    if (!this.producer)
      this.producer = this.options.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
      });
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
    try {
      await client.query('BEGIN');
      claimed = (await client.query<ClaimedRow>(CLAIM, [this.o.batchSize])).rows;
      if (claimed.length === 0) {
        await client.query('COMMIT');
        return 0;
      }
      const chaos = this.chaos;
      if (chaosHits(chaos?.publishFailureRate, chaos?.random))
        throw new ChaosError('chaos: publish dropped');
      const byTopic = new Map<
        string,
        { key: string; value: string; headers: Record<string, string> }[]
      >();
      for (const row of claimed) {
        const envelope = {
          eventId: row.id,
          type: row.type,
          version: row.version,
          aggregateId: row.aggregate_id,
          occurredAt: row.created_at.toISOString(),
          payload: row.payload,
        };
        let list = byTopic.get(row.topic);
        if (!list) byTopic.set(row.topic, (list = []));
        list.push({
          key: row.aggregate_id,
          value: JSON.stringify(envelope),
          headers: { 'event-type': row.type, 'event-id': row.id },
        });
      }
      try {
        await producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        });
      } catch (error) {
        this.producerConnected = false;
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = undefined;
        throw error;
      }
      if (chaosHits(chaos?.crashRate, chaos?.random)) {
        this.stats.duplicatesForced += claimed.length;
        this.options.onChaosCrash?.();
        throw new ChaosError('chaos: crashed after publishing, before marking sent');
      }
      await client.query(MARK_SENT, [claimed.map((r) => r.id)]);
      await client.query('COMMIT');
      this.stats.published += claimed.length;
      this.stats.batches++;
      this.options.onBatch?.({
        published: claimed.length,
        durationMs: performance.now() - started,
      });
      return claimed.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (claimed.length > 0)
        await this.pool
          .query(MARK_FAILED, [claimed.map((r) => r.id), String((error as Error).message ?? error)])
          .catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Deletes sent rows older than the retention, a bounded chunk at a time. */
  async deleteSent(): Promise<number> {
    let total = 0;
    for (;;) {
      const result = await this.pool.query(
        `DELETE FROM outbox_events WHERE id IN (
           SELECT id FROM outbox_events
            WHERE status = 'sent' AND sent_at < now() - make_interval(secs => $1::double precision / 1000)
            LIMIT 5000)`,
        [this.o.retentionMs],
      );
      total += result.rowCount ?? 0;
      if ((result.rowCount ?? 0) < 5000) break;
    }
    this.stats.deleted += total;
    return total;
  }

  /** Keeps a LISTEN connection open (reconnecting with backoff); each NOTIFY wakes the loop. */
  private async listenLoop(): Promise<void> {
    let attempt = 0;
    while (!this.abort.signal.aborted) {
      const client = new pg.Client({ connectionString: this.options.databaseUrl });
      try {
        const ended = new Promise<void>((resolve) => {
          client.on('error', () => resolve());
          client.on('end', () => resolve());
        });
        await client.connect();
        client.on('notification', () => this.poke());
        await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
        this.listener = client;
        attempt = 0;
        this.poke();
        await Promise.race([
          ended,
          new Promise<void>((resolve) =>
            this.abort.signal.addEventListener('abort', () => resolve()),
          ),
        ]);
      } catch (error) {
        this.options.logger?.warn({ err: error }, 'outbox LISTEN connection failed; polling');
      }
      await client.end().catch(() => undefined);
      if (this.abort.signal.aborted) return;
      await sleep(backoffDelay(++attempt, this.o.backoff), this.abort.signal);
    }
  }
}
