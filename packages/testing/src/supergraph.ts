import { startCartService, loadCartConfig } from '@shop/cart';
import { startCatalogService, loadCatalogConfig } from '@shop/catalog';
import { startGateway, loadGatewayConfig, SUBGRAPH_NAMES, type SubgraphName } from '@shop/gateway';
import { createLogger } from '@shop/logging';
import { startOrderService, loadOrderConfig } from '@shop/order';
import { startSearchService, loadSearchConfig } from '@shop/search';
import { startUserService, loadUserConfig } from '@shop/user';
import { TEST_INTERNAL_SECRET, TEST_PREFIX, type TestEnv } from './test-env.ts';

export interface RunningSupergraph {
  gatewayUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  close(): Promise<void>;
}

/**
 * The whole supergraph in this process on free ports, each service started through its own
 * config loader exactly as its main.ts does, against the test databases and search prefix.
 */
export async function startSupergraph(env: TestEnv): Promise<RunningSupergraph> {
  const logger = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');
  const common = {
    HOST: '127.0.0.1',
    PORT: '0',
    INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET,
    LOG_LEVEL: 'silent',
  };
  const services = await Promise.all([
    startCatalogService(
      loadCatalogConfig({ ...common, DATABASE_URL: env.databaseUrl('catalog') }),
      logger.child({ service: 'catalog' }),
    ),
    startUserService(
      loadUserConfig({ ...common, DATABASE_URL: env.databaseUrl('user') }),
      logger.child({ service: 'user' }),
    ),
    startCartService(
      loadCartConfig({ ...common, DATABASE_URL: env.databaseUrl('cart') }),
      logger.child({ service: 'cart' }),
    ),
    startOrderService(
      loadOrderConfig({ ...common, DATABASE_URL: env.databaseUrl('order') }),
      logger.child({ service: 'order' }),
    ),
    startSearchService(
      loadSearchConfig({
        ...common,
        ELASTICSEARCH_URL: env.stack.elasticsearch.url,
        SEARCH_INDEX_PREFIX: TEST_PREFIX,
      }),
      logger.child({ service: 'search' }),
    ),
  ]);
  const subgraphUrls = Object.fromEntries(
    SUBGRAPH_NAMES.map((name, i) => [name, `${services[i]!.url}/graphql`]),
  ) as Record<SubgraphName, string>;
  const gateway = await startGateway(
    loadGatewayConfig({
      ...common,
      ...Object.fromEntries(
        SUBGRAPH_NAMES.map((name) => [`${name.toUpperCase()}_URL`, subgraphUrls[name]]),
      ),
    }),
    logger.child({ service: 'gateway' }),
  );
  return {
    gatewayUrl: `${gateway.url}/graphql`,
    subgraphUrls,
    async close() {
      await gateway.close();
      await Promise.all(services.map((s) => s.close()));
    },
  };
}
