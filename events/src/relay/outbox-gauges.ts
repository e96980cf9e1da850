/**
 * The outbox as a person on call sees it: rows waiting to be published, rows the relay gave up
 * on, and how long the oldest waiting row has waited. Read from the table on a scrape (one query
 * for the three gauges), so they say what the table holds whichever replica is asked.
 */
import type pg from 'pg';
import { Gauge, type Registry } from 'prom-client';

export interface OutboxLevels {
  pending: number;
  failed: number;
  /** Age of the oldest pending row in seconds; 0 when none waits. */
  oldestPendingSeconds: number;
}

// Both statuses are served by the (status, seq) index; sent rows are never read.
const LEVELS = `
SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending,
       count(*) FILTER (WHERE status = 'failed')::int AS failed,
       COALESCE(EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE status = 'pending')), 0)::float8
         AS oldest
  FROM outbox_events
 WHERE status IN ('pending', 'failed')`;

export async function readOutboxLevels(db: pg.Pool): Promise<OutboxLevels> {
  const { rows } = await db.query<{ pending: number; failed: number; oldest: number }>(LEVELS);
  const row = rows[0];
  return {
    pending: row?.pending ?? 0,
    failed: row?.failed ?? 0,
    oldestPendingSeconds: row?.oldest ?? 0,
  };
}

/**
 * Registers `outbox_events_pending`, `outbox_events_failed` (alert when > 0: failed rows wait for a
 * person to fix the cause and requeue them) and `outbox_oldest_pending_age_seconds` (alert when
 * it exceeds a minute: the relay is not keeping up, or Kafka is away).
 */
export function exportOutboxLevels(registry: Registry, db: pg.Pool): void {
  // One scrape collects the three gauges one after the other: they share one query.
  let reading: { at: number; levels: Promise<OutboxLevels> } | undefined;
  const levels = () => {
    if (!reading || Date.now() - reading.at > 1000)
      reading = { at: Date.now(), levels: readOutboxLevels(db) };
    return reading.levels;
  };
  const gauge = (name: string, help: string, pick: (l: OutboxLevels) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(pick(await levels()));
      },
    });
  gauge('outbox_events_pending', 'Outbox rows waiting to be published now', (l) => l.pending);
  gauge(
    'outbox_events_failed',
    'Outbox rows in the failed state now (alert when > 0)',
    (l) => l.failed,
  );
  gauge(
    'outbox_oldest_pending_age_seconds',
    'How long the oldest pending outbox row has waited, seconds (0 when none waits)',
    (l) => l.oldestPendingSeconds,
  );
}
