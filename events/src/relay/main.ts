/**
 * The outbox relay process: publishes one database's outbox to Kafka.
 * Run: DATABASE_URL=postgres://.../shop_order tsx events/src/relay/main.ts
 */
import { loadConfig } from '@shop/config';
import { runWorker } from '../worker/run-worker.ts';
import { startRelayWorker } from './relay-process.ts';
import { relaySettings } from './settings.ts';

const { RELAY_NAME } = loadConfig({ RELAY_NAME: relaySettings.RELAY_NAME });
await runWorker('outbox-relay', RELAY_NAME, startRelayWorker);
