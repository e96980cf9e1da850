import pg from 'pg';
import type { Logger } from '@shop/logging';
import { OUTBOX_CHANNEL } from '../outbox/writer.ts';
import { backoffDelay, sleep } from '../shared/backoff.ts';

export interface OutboxListenerOptions {
  databaseUrl: string;
  /** Called for each NOTIFY, and once after each (re)connect (rows may have come meanwhile). */
  onNotify: () => void;
  /** Ends the listener: it closes its connection and returns. */
  signal: AbortSignal;
  /** Wait before reconnecting after the connection failed or ended. */
  backoff: { initialMs: number; maxMs: number };
  /** The connection's application_name (pg_stat_activity shows which relay listens). */
  applicationName?: string;
  logger?: Logger;
}

/**
 * Keeps a LISTEN connection on the outbox channel open, reconnecting with backoff, until the
 * signal aborts. NOTIFY is a wake-up hint only: the relay polls anyway, so a lost connection
 * costs latency, never events. Each connection's listeners go with it: a relay whose
 * connection drops many times holds no more listeners than one that never lost it.
 */
export async function listenForOutbox(options: OutboxListenerOptions): Promise<void> {
  const { signal } = options;
  let attempt = 0;
  while (!signal.aborted) {
    const client = new pg.Client({
      connectionString: options.databaseUrl,
      application_name: options.applicationName ?? 'outbox-relay-listen',
    });
    let release = () => {};
    const over = new Promise<void>((resolve) => (release = resolve));
    const end = () => release();
    client.on('error', end);
    client.on('end', end);
    signal.addEventListener('abort', end, { once: true });
    try {
      await client.connect();
      client.on('notification', () => options.onNotify());
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      attempt = 0;
      options.onNotify();
      await over;
    } catch (error) {
      options.logger?.warn({ err: error }, 'outbox LISTEN connection failed; polling');
    } finally {
      signal.removeEventListener('abort', end);
    }
    await client.end().catch(() => undefined);
    client.removeAllListeners();
    if (signal.aborted) return;
    await sleep(backoffDelay(++attempt, options.backoff), signal);
  }
}
