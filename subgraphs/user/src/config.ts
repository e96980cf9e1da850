import { int, loadConfig, secret, url } from '@shop/config';
import { subgraphSettings } from '@shop/subgraph-kit';

export const userSettings = {
  ...subgraphSettings(4002),
  DATABASE_URL: url(['postgres', 'postgresql']),
  REDIS_URL: url(['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  /** PKCS#8 PEM of the ES256 key that signs access tokens; its public half is served as JWKS. */
  JWT_PRIVATE_KEY: secret({ min: 100 }),
  ACCESS_TOKEN_TTL_SECONDS: int({ default: 900, min: 30, max: 86_400 }),
};

export type UserConfig = ReturnType<typeof loadUserConfig>;
export const loadUserConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(userSettings, env);
