/**
 * The search indexer worker: catalog product, seller and review events -> their aliases in
 * Elasticsearch, with /health, /ready and /metrics.
 * Run: CATALOG_DATABASE_URL=... tsx workers/search-indexer/src/main.ts
 */
import { runMain } from '@shop/config';
import { startSearchIndexerWorker } from './process.ts';

await runMain('search-indexer', () => startSearchIndexerWorker(process.env));
