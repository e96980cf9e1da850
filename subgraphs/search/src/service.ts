import { openAnalyticsStore } from '@shop/analytics';
import { StartupError } from '@shop/config';
import type { Logger } from '@shop/logging';
import {
  createSearchClient,
  ensureProductsIndex,
  ensureReviewsIndex,
  ensureSellersIndex,
} from '@shop/search-client';
import { readSchema, startSubgraph, type RunningSubgraph } from '@shop/subgraph-kit';
import type { SearchConfig } from './config.ts';
import type { SearchContext } from './context.ts';
import { productStatsLoaders } from './data/product-stats.ts';
import { resolvers } from './resolvers/index.ts';

export const searchTypeDefs = readSchema(new URL('../schema.graphql', import.meta.url));

export async function startSearchService(
  config: SearchConfig,
  logger: Logger,
): Promise<RunningSubgraph> {
  const search = createSearchClient(config.ELASTICSEARCH_URL);
  try {
    await ensureProductsIndex(search, config.SEARCH_INDEX_PREFIX);
    await ensureSellersIndex(search, config.SEARCH_INDEX_PREFIX);
    await ensureReviewsIndex(search, config.SEARCH_INDEX_PREFIX);
  } catch (error) {
    await search.close();
    throw new StartupError(
      'ELASTICSEARCH_URL',
      `cannot use Elasticsearch (${(error as Error).message.split('\n')[0]})`,
    );
  }
  const store = await openAnalyticsStore(config).catch(async (error: unknown) => {
    await search.close();
    throw error;
  });
  return startSubgraph<SearchContext>({
    name: 'search',
    typeDefs: searchTypeDefs,
    resolvers,
    config,
    logger,
    probes: { elasticsearch: () => search.ping(), clickhouse: () => store.ping() },
    context: (base) => ({
      ...base,
      search,
      indexPrefix: config.SEARCH_INDEX_PREFIX,
      analytics: store,
      productStats: productStatsLoaders(store),
    }),
    onShutdown: async () => {
      await search.close();
      await store.close();
    },
  });
}
