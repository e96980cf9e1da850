import { startAnalyticsWorker } from '@shop/analytics-worker/process';
import { startCarrierProcess } from '@shop/carrier-worker/process';
import { startCartWorkerProcess } from '@shop/cart-worker/process';
import { ConfigError } from '@shop/config';
import { startRelayWorker } from '@shop/events/relay-worker';
import type { StartWorker } from '@shop/events/worker';
import { startSagaWorker } from '@shop/saga-worker/process';
import { startNotificationsWorkerProcess } from '@shop/notifications-worker/process';
import { startSearchIndexerWorker } from '@shop/search-indexer/process';

/** Every worker a host can run, by the name its own process has in `npm start`. */
const PROGRAMS: Record<string, StartWorker> = {
  saga: startSagaWorker,
  'search-indexer': startSearchIndexerWorker,
  analytics: startAnalyticsWorker,
  'cart-worker': startCartWorkerProcess,
  notifications: startNotificationsWorkerProcess,
  carrier: startCarrierProcess,
};

/** `relay-<database>` is an outbox relay (one per database that writes events). */
const RELAY = /^relay-[a-z0-9-]+$/;

/** The program of each id in WORKERS; an unknown id stops the host before anything starts. */
export function workerPrograms(ids: readonly string[]): { id: string; start: StartWorker }[] {
  const unknown = ids.filter((id) => !PROGRAMS[id] && !RELAY.test(id));
  if (unknown.length > 0)
    throw new ConfigError([
      {
        setting: 'WORKERS',
        problem: `has ${unknown.map((id) => `"${id}"`).join(', ')}; known: ${Object.keys(PROGRAMS).join(', ')}, relay-<name>`,
      },
    ]);
  return ids.map((id) => ({ id, start: PROGRAMS[id] ?? startRelayWorker }));
}
