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
  /**
   * Rejections (Kafka refusing a row for a reason retrying cannot fix: unknown topic, message
   * too large) after which a row is marked failed instead of retried (default 5), and the wait
   * before a rejected row is tried again.
   */
  maxRejections?: number;
  rejectionBackoff?: { initialMs: number; maxMs: number };
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
  /** Called for each row the relay gave up on (status failed): alert on it. */
  onFailed?: (row: FailedRow) => void;
}

export interface FailedRow {
  id: string;
  topic: string;
  type: string;
  aggregateId: string;
  error: string;
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
}

interface ClaimedRow {
  id: string;
  aggregate_id: string;
  topic: string;
  type: string;
  version: number;
  payload: unknown;
  created_at: Date;
  rejections: number;
}

/**
 * Claims pending rows in seq order. A row is claimable only when no older pending row of the
 * same aggregate exists, so several replicas never publish one aggregate's events out of order
 * (an older row locked by another replica still reads as pending). SKIP LOCKED lets replicas
 * share the work without waiting on each other.
 */
const CLAIM = `
SELECT o.id, o.aggregate_id, o.topic, o.type, o.version, o.payload, o.created_at, o.rejections
  FROM outbox_events o
 WHERE o.status = 'pending'
   AND (o.retry_at IS NULL OR o.retry_at <= now())
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

/** Counts a rejection per row; the one that reaches the limit marks the row failed. */
const MARK_REJECTED = `UPDATE outbox_events o
   SET attempts = o.attempts + 1,
       rejections = o.rejections + 1,
       last_error = r.error,
       retry_at = now() + make_interval(secs => r.wait_ms / 1000),
       status = CASE WHEN o.rejections + 1 >= $4 THEN 'failed' ELSE o.status END,
       failed_at = CASE WHEN o.rejections + 1 >= $4 THEN now() END
  FROM unnest($1::uuid[], $2::text[], $3::float8[]) AS r(id, error, wait_ms)
 WHERE o.id = r.id AND o.status = 'pending'
 RETURNING o.id, o.topic, o.type, o.aggregate_id, o.status, o.last_error`;

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

type OutMessage = { key: string; value: string; headers: Record<string, string> };

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
      | 'batchSize'
      | 'pollIntervalMs'
      | 'backoff'
      | 'retentionMs'
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
      backoff: options.backoff ?? { initialMs: 100, maxMs: 10_000 },
      retentionMs: options.retentionMs ?? 24 * 3600 * 1000,
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
      const byTopic = new Map<string, { rows: ClaimedRow[]; messages: OutMessage[] }>();
      for (const row of claimed) {
        const envelope = {
          eventId: row.id,
          type: row.type,
          version: row.version,
          aggregateId: row.aggregate_id,
          occurredAt: row.created_at.toISOString(),
          payload: row.payload,
        };
        let group = byTopic.get(row.topic);
        if (!group) byTopic.set(row.topic, (group = { rows: [], messages: [] }));
        group.rows.push(row);
        group.messages.push({
          key: row.aggregate_id,
          value: JSON.stringify(envelope),
          headers: { 'event-type': row.type, 'event-id': row.id },
        });
      }
      let rejected = new Map<ClaimedRow, string>();
      try {
        await producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, g]) => ({ topic, messages: g.messages })),
        });
      } catch (error) {
        if (!rejectionOf(error)) {
          await this.resetProducer();
          throw error;
        }
        rejected = await this.isolateRejections(byTopic);
      }
      if (chaosHits(chaos?.crashRate, chaos?.random)) {
        this.stats.duplicatesForced += claimed.length;
        this.options.onChaosCrash?.();
        throw new ChaosError('chaos: crashed after publishing, before marking sent');
      }
      const sent = claimed.filter((r) => !rejected.has(r));
      if (sent.length > 0) await client.query(MARK_SENT, [sent.map((r) => r.id)]);
      const failed = rejected.size > 0 ? await this.markRejected(client, rejected) : [];
      await client.query('COMMIT');
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

  private async resetProducer(): Promise<void> {
    this.producerConnected = false;
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = undefined;
  }

  /**
   * After a batch was rejected: sends each topic's messages on their own (and, for a message
   * level rejection, each message alone) so that only the rows Kafka refuses are held back
   * and the rest of the batch goes out. A claimed batch holds at most one row per aggregate,
   * so publishing around a rejected row never reorders an aggregate's events. Each topic gets
   * a fresh producer: a kafkajs producer that once asked for an unknown topic keeps asking for
   * it in every metadata refresh and fails every later send, so the relay's producer is
   * replaced too. A transient error here fails the whole batch as usual (what went out is
   * published again: duplicates, never loss).
   */
  private async isolateRejections(
    byTopic: Map<string, { rows: ClaimedRow[]; messages: OutMessage[] }>,
  ): Promise<Map<ClaimedRow, string>> {
    await this.resetProducer();
    const rejected = new Map<ClaimedRow, string>();
    const reason = (topic: string, code: string, error: unknown) =>
      `Kafka rejected it (${code}) on ${topic}: ${(error as Error).message ?? String(error)}`;
    // A producer whose send failed is not used again: kafkajs has already counted the refused
    // batch in the partition's sequence, so the idempotent producer's next send to it would be
    // refused as out of order.
    const fresh = async () => {
      const producer = this.options.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
      });
      await producer.connect();
      return producer;
    };
    for (const [topic, g] of byTopic) {
      let producer = await fresh();
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
        producer = await fresh();
        for (const [j, message] of g.messages.entries()) {
          try {
            await producer.send({ acks: -1, topic, messages: [message] });
          } catch (one) {
            const r = rejectionOf(one);
            if (!r) throw one;
            rejected.set(g.rows[j]!, reason(topic, r.code, one));
            await producer.disconnect().catch(() => undefined);
            producer = await fresh();
          }
        }
      } finally {
        await producer.disconnect().catch(() => undefined);
      }
    }
    return rejected;
  }

  private async markRejected(
    client: pg.PoolClient,
    rejected: Map<ClaimedRow, string>,
  ): Promise<FailedRow[]> {
    const rows = [...rejected];
    const { rows: updated } = await client.query<{
      id: string;
      topic: string;
      type: string;
      aggregate_id: string;
      status: string;
      last_error: string;
    }>(MARK_REJECTED, [
      rows.map(([r]) => r.id),
      rows.map(([, error]) => error.slice(0, 4000)),
      rows.map(([r]) => backoffDelay(r.rejections + 1, this.o.rejectionBackoff)),
      this.o.maxRejections,
    ]);
    return updated
      .filter((r) => r.status === 'failed')
      .map((r) => ({
        id: r.id,
        topic: r.topic,
        type: r.type,
        aggregateId: r.aggregate_id,
        error: r.last_error,
      }));
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

export interface FailedOutboxRow extends FailedRow {
  rejections: number;
  failedAt: Date;
}

/** The rows a relay gave up on, oldest first. */
export async function listFailedRows(db: pg.Pool | pg.Client): Promise<FailedOutboxRow[]> {
  const { rows } = await db.query<{
    id: string;
    topic: string;
    type: string;
    aggregate_id: string;
    last_error: string | null;
    rejections: number;
    failed_at: Date;
  }>(
    `SELECT id::text, topic, type, aggregate_id, last_error, rejections, failed_at
       FROM outbox_events WHERE status = 'failed' ORDER BY seq`,
  );
  return rows.map((r) => ({
    id: r.id,
    topic: r.topic,
    type: r.type,
    aggregateId: r.aggregate_id,
    error: r.last_error ?? '',
    rejections: r.rejections,
    failedAt: r.failed_at,
  }));
}

/** Puts failed rows (all, or the given ids) back to pending; a relay publishes them next. */
export async function requeueFailedRows(
  db: pg.Pool | pg.Client,
  ids?: readonly string[],
): Promise<number> {
  const result = await db.query(
    `UPDATE outbox_events
        SET status = 'pending', rejections = 0, retry_at = NULL, failed_at = NULL
      WHERE status = 'failed' AND ($1::uuid[] IS NULL OR id = ANY($1::uuid[]))`,
    [ids ?? null],
  );
  return result.rowCount ?? 0;
}
