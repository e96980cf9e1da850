import { loadConfig, url } from '@shop/config';
import { subgraphSettings } from '@shop/subgraph-kit';

export const cartSettings = {
  ...subgraphSettings(4003),
  DATABASE_URL: url(['postgres', 'postgresql']),
};

export type CartConfig = ReturnType<typeof loadCartConfig>;
export const loadCartConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(cartSettings, env);
