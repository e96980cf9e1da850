/**
 * The search indexer worker: catalog product, seller and review events -> their aliases in
 * Elasticsearch, with /health, /ready and /metrics.
 * Run: CATALOG_DATABASE_URL=... tsx workers/search-indexer/src/main.ts
 */
import { loadConfig } from '@shop/config';
import { runWorker } from '@shop/events/run-worker';
import { startSearchIndexerWorker } from './process.ts';
import { searchIndexerSettings } from './settings.ts';

const { INDEXER_NAME } = loadConfig({ INDEXER_NAME: searchIndexerSettings.INDEXER_NAME });
await runWorker('search-indexer', INDEXER_NAME, startSearchIndexerWorker);
