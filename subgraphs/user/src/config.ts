import { loadConfig, url } from '@shop/config';
import { subgraphSettings } from '@shop/subgraph-kit';

export const userSettings = {
  ...subgraphSettings(4002),
  DATABASE_URL: url(['postgres', 'postgresql']),
};

export type UserConfig = ReturnType<typeof loadUserConfig>;
export const loadUserConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(userSettings, env);
