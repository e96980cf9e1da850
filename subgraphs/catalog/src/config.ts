import { loadConfig, url } from '@shop/config';
import { subgraphSettings } from '@shop/subgraph-kit';

export const catalogSettings = {
  ...subgraphSettings(4001),
  DATABASE_URL: url(['postgres', 'postgresql']),
};

export type CatalogConfig = ReturnType<typeof loadCatalogConfig>;
export const loadCatalogConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(catalogSettings, env);
