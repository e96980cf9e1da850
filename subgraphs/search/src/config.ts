import { loadConfig, str, url } from '@shop/config';
import { subgraphSettings } from '@shop/subgraph-kit';

export const searchSettings = {
  ...subgraphSettings(4005),
  ELASTICSEARCH_URL: url(['http', 'https'], 'http://127.0.0.1:9200'),
  /** Index names start with it (`shop_products`), so environments can share a cluster. */
  SEARCH_INDEX_PREFIX: str({ default: 'shop', max: 40 }),
  /** ClickHouse, where the analytics worker stores views and sales. */
  CLICKHOUSE_URL: url(['http', 'https'], 'http://127.0.0.1:8123'),
  CLICKHOUSE_DATABASE: str({ default: 'shop', max: 63 }),
};

export type SearchConfig = ReturnType<typeof loadSearchConfig>;
export const loadSearchConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(searchSettings, env);
