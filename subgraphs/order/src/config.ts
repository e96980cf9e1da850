import { loadConfig, url } from '@shop/config';
import { subgraphSettings } from '@shop/subgraph-kit';

export const orderSettings = {
  ...subgraphSettings(4004),
  DATABASE_URL: url(['postgres', 'postgresql']),
};

export type OrderConfig = ReturnType<typeof loadOrderConfig>;
export const loadOrderConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(orderSettings, env);
