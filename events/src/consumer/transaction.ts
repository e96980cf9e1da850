import type pg from 'pg';
import { preparedStatement } from '../shared/prepared.ts';

/**
 * A transaction of the handler's own database: a Prisma interactive-transaction client or a
 * pg client inside BEGIN/COMMIT. The inbox row and the handler's effect share it.
 */
export type HandlerTx =
  | { $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number> }
  | Pick<pg.ClientBase, 'query'>;

/** Runs `work` in one transaction and returns its result; rolls back when it throws. */
export type TransactionHook<Tx extends HandlerTx = HandlerTx> = <T>(
  work: (tx: Tx) => Promise<T>,
) => Promise<T>;

export async function execCount(tx: HandlerTx, text: string, values: unknown[] = []) {
  if ('$executeRawUnsafe' in tx) return await tx.$executeRawUnsafe(text, ...values);
  return (await tx.query(text, values)).rowCount ?? 0;
}

/**
 * For a handler whose effect lives outside any database and may repeat (purging a cache): no
 * transaction and no inbox row, so a redelivery repeats the effect. Its handler's `tx` is never.
 */
export const NO_TRANSACTION: TransactionHook<never> = (work) => work(undefined as never);

/** A transaction hook over a pg pool. */
export function pgTransaction(pool: pg.Pool): TransactionHook<pg.PoolClient> {
  return async (work) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
}

/**
 * A transaction hook over any Prisma client (the service's own). `timeoutMs` replaces Prisma's
 * 5 s limit on an interactive transaction, for handlers that wait on something inside it (the
 * simulated payment provider's latency).
 */
export function prismaTransaction<Tx extends HandlerTx>(
  prisma: {
    $transaction<R>(fn: (tx: Tx) => Promise<R>, options?: { timeout?: number }): Promise<R>;
  },
  options: { timeoutMs?: number } = {},
): TransactionHook<Tx> {
  const settings = options.timeoutMs ? { timeout: options.timeoutMs } : undefined;
  return (work) => prisma.$transaction((tx) => work(tx), settings);
}

/**
 * Records that `consumer` handled `eventId`; false when it already did (a duplicate delivery).
 * A concurrent duplicate waits on the first one's uncommitted row, then sees the conflict.
 */
export async function claimInbox(tx: HandlerTx, consumer: string, eventId: string) {
  const inserted = await execCount(
    tx,
    `INSERT INTO inbox (consumer, event_id) VALUES ($1, $2::uuid) ON CONFLICT DO NOTHING`,
    [consumer, eventId],
  );
  return inserted === 1;
}

const claimMany = preparedStatement(
  'inbox-claim-many',
  `INSERT INTO inbox (consumer, event_id) SELECT $1, id FROM unnest($2::uuid[]) AS t(id)
   ON CONFLICT DO NOTHING RETURNING event_id`,
);

/**
 * claimInbox for several events in one statement: the ids (lower case) not handled before. An id
 * given twice is new once (the second is a redelivery inside the same fetch).
 */
export async function claimInboxMany(
  tx: HandlerTx,
  consumer: string,
  eventIds: readonly string[],
): Promise<Set<string>> {
  const fresh = new Set<string>();
  if (!('query' in tx)) {
    for (const id of eventIds) if (await claimInbox(tx, consumer, id)) fresh.add(id.toLowerCase());
    return fresh;
  }
  const { rows } = await tx.query<{ event_id: string }>(claimMany([consumer, eventIds]));
  for (const row of rows) fresh.add(row.event_id.toLowerCase());
  return fresh;
}

/**
 * Deletes up to `limit` of `consumer`'s inbox rows older than the retention (a redelivery comes
 * within minutes of the first delivery; a dead letter replayed later never had its row, since a
 * failed handler's transaction rolled back). Returns how many went; small batches keep each
 * delete short next to the consumers writing the table.
 */
export const INBOX_PURGE_BATCH = 5000;

export async function purgeInbox(
  tx: HandlerTx,
  consumer: string,
  retentionMs: number,
  limit = INBOX_PURGE_BATCH,
): Promise<number> {
  return execCount(
    tx,
    `DELETE FROM inbox WHERE consumer = $1 AND event_id IN (
       SELECT event_id FROM inbox
        WHERE consumer = $1 AND processed_at < now() - make_interval(secs => $2::double precision / 1000)
        LIMIT $3)`,
    [consumer, retentionMs, limit],
  );
}
