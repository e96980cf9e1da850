import { randomUUID } from 'node:crypto';
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { listenForOutbox } from '../src/index.ts';
import { orderDbUrl, waitFor, withDb } from './helpers.ts';

/** The backend pid of the listener's connection once it is LISTENing, else undefined. */
const listenerPid = (applicationName: string) =>
  withDb(orderDbUrl(), async (db) => {
    const { rows } = await db.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'`,
      [applicationName],
    );
    return rows[0]?.pid;
  });

describe('outbox LISTEN connection', () => {
  it('survives many dropped connections holding no more listeners than one', async () => {
    const applicationName = `listener-test-${randomUUID().slice(0, 8)}`;
    const stop = new AbortController();
    let wakeUps = 0;
    const listening = listenForOutbox({
      databaseUrl: orderDbUrl(),
      onNotify: () => wakeUps++,
      signal: stop.signal,
      backoff: { initialMs: 5, maxMs: 20 },
      applicationName,
    });
    const cycles = 25;
    for (let i = 0; i < cycles; i++) {
      await waitFor(async () => (await listenerPid(applicationName)) !== undefined, 10_000);
      const pid = await listenerPid(applicationName);
      const before = wakeUps;
      // The server ends the connection, as a PostgreSQL restart or a failover would.
      await withDb(orderDbUrl(), (db) => db.query('SELECT pg_terminate_backend($1)', [pid]));
      // Reconnected: each new connection wakes the relay once (rows may have come meanwhile).
      await waitFor(
        async () => wakeUps > before && (await listenerPid(applicationName)) !== pid,
        10_000,
      );
    }
    // One connection's worth: the wait on the relay's signal, nothing left from earlier ones.
    expect(getEventListeners(stop.signal, 'abort').length).toBeLessThanOrEqual(1);

    const before = wakeUps;
    await withDb(orderDbUrl(), (db) => db.query('NOTIFY outbox_events'));
    await waitFor(() => wakeUps > before, 10_000);

    stop.abort();
    await listening;
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
    expect(await listenerPid(applicationName)).toBeUndefined();
  });
});
