/**
 * The search indexer worker: catalog product, seller and review events -> their aliases in
 * Elasticsearch, and the
 * cart side of OrderPlaced (ordered quantities leave the cart), with
 * /health, /ready and /metrics.
 * Run: CATALOG_DATABASE_URL=... tsx workers/search-indexer/src/main.ts
 */
import { loadConfig, runMain } from '@shop/config';
import { createKafka } from '@shop/kafka';
import { createLogger } from '@shop/logging';
import { closeOnSignals, createServiceMetrics, startServiceServer } from '@shop/observability';
import {
  createSearchClient,
  ensureProductsIndex,
  ensureReviewsIndex,
  ensureSellersIndex,
} from '@shop/search-client';
import { connectRedis } from '@shop/redis';
import pg from 'pg';
import { Gauge } from 'prom-client';
import { startSearchIndexer } from './indexer.ts';
import { searchIndexerSettings } from './settings.ts';

await runMain('search-indexer', async () => {
  const config = loadConfig(searchIndexerSettings);
  const logger = createLogger(config.INDEXER_NAME, config.LOG_LEVEL);
  const metrics = createServiceMetrics(config.INDEXER_NAME);
  const kafka = createKafka({ clientId: config.INDEXER_NAME, brokers: config.KAFKA_BROKERS });
  const catalogPool = new pg.Pool({ connectionString: config.CATALOG_DATABASE_URL, max: 5 });
  const cartPool = new pg.Pool({ connectionString: config.CART_DATABASE_URL, max: 5 });
  const redis = await connectRedis(config.REDIS_URL, 'REDIS_URL');
  const search = createSearchClient(config.ELASTICSEARCH_URL);
  await ensureProductsIndex(search, config.SEARCH_INDEX_PREFIX);
  await ensureSellersIndex(search, config.SEARCH_INDEX_PREFIX);
  await ensureReviewsIndex(search, config.SEARCH_INDEX_PREFIX);
  const indexer = await startSearchIndexer({
    kafka,
    catalogPool,
    search,
    searchPrefix: config.SEARCH_INDEX_PREFIX,
    cart: {
      pool: cartPool,
      databaseUrl: config.CART_DATABASE_URL,
      redis,
      cacheTtlSeconds: config.CART_CACHE_TTL_SECONDS,
    },
    namePrefix: config.INDEXER_NAME,
    maxAttempts: config.INDEXER_MAX_ATTEMPTS,
    partitionsConsumedConcurrently: config.INDEXER_PARTITIONS_CONCURRENTLY,
    logger,
  });
  for (const stat of ['handled', 'duplicates', 'skipped', 'retries', 'deadLettered'] as const)
    new Gauge({
      name: `search_indexer_messages_${stat.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`,
      help: `Search indexer consumer messages: ${stat}`,
      labelNames: ['consumer'],
      registers: [metrics.registry],
      collect() {
        for (const [i, c] of indexer.consumers.entries())
          this.set({ consumer: indexer.names[i]! }, c.stats[stat]);
      },
    });
  logger.info({ prefix: config.SEARCH_INDEX_PREFIX }, 'search indexer started');
  const server = await startServiceServer({
    name: config.INDEXER_NAME,
    host: config.HOST,
    port: config.PORT,
    logger,
    metrics,
    probes: {
      catalogDb: () => catalogPool.query('SELECT 1'),
      cartDb: () => cartPool.query('SELECT 1'),
      redis: () => redis.ping(),
      elasticsearch: () => search.ping(),
    },
    routes: {},
    onShutdown: async () => {
      await indexer.stop();
      await catalogPool.end();
      await cartPool.end();
      redis.disconnect();
      await search.close();
    },
  });
  closeOnSignals(server, logger);
});
