/**
 * The outbox relay process: publishes one database's outbox to Kafka.
 * Run: DATABASE_URL=postgres://.../shop_order tsx events/src/relay/main.ts
 */
import { runMain } from '@shop/config';
import { startRelayWorker } from './relay-process.ts';

await runMain('outbox-relay', () => startRelayWorker(process.env));
