/**
 * The relay's SQL over a database's outbox_events table: claiming a batch, marking it sent,
 * failed or rejected, and deleting old sent rows.
 */
import type pg from 'pg';
import { backoffDelay } from '../shared/backoff.ts';
import { preparedStatement } from '../shared/prepared.ts';

export interface ClaimedRow {
  id: string;
  aggregate_id: string;
  topic: string;
  type: string;
  version: number;
  payload: unknown;
  created_at: Date;
  rejections: number;
  /** bigint as text */
  seq: string;
  /** The W3C trace context the row was written in (null with tracing off). */
  traceparent: string | null;
  tracestate: string | null;
}

/** A row the relay gave up on: Kafka kept rejecting it. */
export interface FailedRow {
  id: string;
  topic: string;
  type: string;
  aggregateId: string;
  error: string;
}

/**
 * Claims pending rows in seq order and marks them sent, in one statement: the caller's
 * transaction holds them until it commits after the publish, or rolls them back to pending
 * when the publish fails. A row is claimable only when no older pending row of the same
 * aggregate exists, so several replicas never publish one aggregate's events out of order (an
 * older row locked by another replica still reads as pending) and a batch holds at most one
 * row per aggregate. SKIP LOCKED lets replicas share the work without waiting on each other.
 */
const CLAIM = `
UPDATE outbox_events o
   SET status = 'sent', sent_at = now(), attempts = o.attempts + 1, last_error = NULL
 WHERE o.id IN (
   SELECT c.id FROM outbox_events c
    WHERE c.status = 'pending'
      AND (c.retry_at IS NULL OR c.retry_at <= now())
      AND NOT EXISTS (
        SELECT 1 FROM outbox_events p
         WHERE p.aggregate_id = c.aggregate_id AND p.status = 'pending' AND p.seq < c.seq)
    ORDER BY c.seq
    LIMIT $1
    FOR UPDATE SKIP LOCKED)
RETURNING o.id, o.aggregate_id, o.topic, o.type, o.version, o.payload, o.created_at,
          o.rejections, o.seq::text AS seq, o.traceparent, o.tracestate`;
const claim = preparedStatement('outbox-claim', CLAIM);

const MARK_FAILED = `UPDATE outbox_events
   SET attempts = attempts + 1, last_error = $2
 WHERE id = ANY($1::uuid[]) AND status = 'pending'`;

/**
 * Counts a rejection per claimed row (in the claim's transaction, where the row already reads
 * sent and its attempt is counted): back to pending after a wait, or failed at the limit.
 */
const MARK_REJECTED = `UPDATE outbox_events o
   SET rejections = o.rejections + 1,
       last_error = r.error,
       sent_at = NULL,
       retry_at = now() + make_interval(secs => r.wait_ms / 1000),
       status = CASE WHEN o.rejections + 1 >= $4 THEN 'failed' ELSE 'pending' END,
       failed_at = CASE WHEN o.rejections + 1 >= $4 THEN now() END
  FROM unnest($1::uuid[], $2::text[], $3::float8[]) AS r(id, error, wait_ms)
 WHERE o.id = r.id AND o.status = 'sent'
 RETURNING o.id, o.topic, o.type, o.aggregate_id, o.status, o.last_error`;

const DELETE_SENT_CHUNK = 5000;
const DELETE_SENT = `DELETE FROM outbox_events WHERE id IN (
   SELECT id FROM outbox_events
    WHERE status = 'sent' AND sent_at < now() - make_interval(secs => $1::double precision / 1000)
    LIMIT ${DELETE_SENT_CHUNK})`;

/**
 * Claims up to `limit` rows in the client's open transaction, already marked sent (locked
 * until it ends; a rollback leaves them pending), in seq order.
 */
export async function claimRows(client: pg.PoolClient, limit: number): Promise<ClaimedRow[]> {
  const { rows } = await client.query<ClaimedRow>(claim([limit]));
  return rows.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1));
}

/** Records a failed attempt on rows whose batch rolled back (outside that transaction). */
export async function markAttemptFailed(
  db: pg.Pool,
  rows: readonly ClaimedRow[],
  error: unknown,
): Promise<void> {
  await db.query(MARK_FAILED, [rows.map((r) => r.id), String((error as Error)?.message ?? error)]);
}

/**
 * Counts a rejection on each row with its reason and a backoff before its next try; returns
 * the rows that reached `maxRejections` and are now failed.
 */
export async function markRejected(
  client: pg.PoolClient,
  rejected: ReadonlyMap<ClaimedRow, string>,
  options: { maxRejections: number; backoff: { initialMs: number; maxMs: number } },
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
    rows.map(([r]) => backoffDelay(r.rejections + 1, options.backoff)),
    options.maxRejections,
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
 * Refreshes PostgreSQL's statistics of outbox_events. The claim's plan depends on how many
 * rows the planner believes are pending: with statistics taken while the outbox was nearly
 * empty it hashes every pending row for the older-row check before it applies the LIMIT, so
 * each batch of a backlog costs in proportion to the whole backlog (20,000 pending rows: about
 * 300 ms per claim of 1,000 on this project's machine, the relay at 10 % of a raw producer);
 * with fresh ones it walks the (status, seq) index and stops at the limit (about 25 ms).
 * Autovacuum refreshes them only after its naptime and a share of the table changed: after a
 * short backlog has been drained.
 */
export async function refreshOutboxStatistics(db: pg.Pool): Promise<void> {
  await db.query('ANALYZE outbox_events');
}

/** Deletes sent rows older than the retention, a bounded chunk at a time; returns how many. */
export async function deleteSentRows(db: pg.Pool, retentionMs: number): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = (await db.query(DELETE_SENT, [retentionMs])).rowCount ?? 0;
    total += deleted;
    if (deleted < DELETE_SENT_CHUNK) return total;
  }
}

export interface FailedOutboxRow extends FailedRow {
  rejections: number;
  failedAt: Date;
}

/** The rows a relay gave up on, oldest first (the outbox CLI lists them). */
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
