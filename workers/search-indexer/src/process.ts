/**
 * The search indexer worker: catalog product, seller and review events -> their aliases in
 * Elasticsearch, with /health, /ready and /metrics.
 */
import { loadConfig } from '@shop/config';
import { serveWorker, type StartWorker } from '@shop/events/worker';
import { createKafka } from '@shop/kafka';
import { createLogger } from '@shop/logging';
import { createServiceMetrics } from '@shop/observability';
import {
  createSearchClient,
  ensureProductsIndex,
  ensureReviewsIndex,
  ensureSellersIndex,
} from '@shop/search-client';
import pg from 'pg';
import { startSearchIndexer } from './indexer.ts';
import { searchIndexerSettings } from './settings.ts';

/** Starts the worker from `env`; `main.ts` runs it alone, workers/host beside others. */
export const startSearchIndexerWorker: StartWorker = async (env, options = {}) => {
  const config = loadConfig(searchIndexerSettings, env);
  const logger = createLogger(config.INDEXER_NAME, config.LOG_LEVEL);
  const kafka = createKafka({ clientId: config.INDEXER_NAME, brokers: config.KAFKA_BROKERS });
  const catalogPool = new pg.Pool({ connectionString: config.CATALOG_DATABASE_URL, max: 5 });
  const search = createSearchClient(config.ELASTICSEARCH_URL);
  await ensureProductsIndex(search, config.SEARCH_INDEX_PREFIX);
  await ensureSellersIndex(search, config.SEARCH_INDEX_PREFIX);
  await ensureReviewsIndex(search, config.SEARCH_INDEX_PREFIX);
  const indexer = await startSearchIndexer({
    kafka,
    catalogPool,
    search,
    searchPrefix: config.SEARCH_INDEX_PREFIX,
    namePrefix: config.INDEXER_NAME,
    maxAttempts: config.INDEXER_MAX_ATTEMPTS,
    partitionsConsumedConcurrently: config.INDEXER_PARTITIONS_CONCURRENTLY,
    logger,
  });
  logger.info({ prefix: config.SEARCH_INDEX_PREFIX }, 'search indexer started');
  return serveWorker({
    name: config.INDEXER_NAME,
    host: config.HOST,
    port: config.PORT,
    logger,
    metrics: createServiceMetrics(config.INDEXER_NAME),
    stats: {
      prefix: 'search_indexer_messages',
      help: 'Search indexer consumer messages',
      sources: indexer.consumers.map((c, i) => ({ label: indexer.names[i]!, stats: c.stats })),
    },
    probes: {
      catalogDb: () => catalogPool.query('SELECT 1'),
      elasticsearch: () => search.ping(),
    },
    handleSignals: options.handleSignals,
    stop: async () => {
      await indexer.stop();
      await catalogPool.end();
      await search.close();
    },
  });
};
