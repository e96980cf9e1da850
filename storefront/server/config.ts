import { bool, int, loadConfig, port, str, url, type ConfigOf } from '@shop/config';

export const storefrontSettings = {
  HOST: str({ default: '127.0.0.1' }),
  PORT: port(3000),
  /** The gateway's GraphQL endpoint: server rendering queries it, and the browser reaches it through this server's `/graphql`. */
  GATEWAY_URL: url(['http', 'https'], 'http://127.0.0.1:4000/graphql'),
  /** Marks the session cookies `Secure` (set it whenever the store is served over HTTPS). */
  COOKIE_SECURE: bool(false),
  /** Lifetime of the refresh-token cookie; the user service's refresh tokens live 30 days. */
  SESSION_COOKIE_MAX_AGE_SECONDS: int({ default: 30 * 86_400, min: 60, max: 400 * 86_400 }),
  /** Origins product images may load from (space separated), besides this server. */
  IMAGE_ORIGINS: str({ default: 'https://images.tackle.shop' }),
  /** Longest wait for the gateway while rendering a page. */
  GATEWAY_TIMEOUT_MS: int({ default: 10_000, min: 100, max: 120_000 }),
  LOG_LEVEL: str({ default: 'info' }),
};

export type StorefrontConfig = ConfigOf<typeof storefrontSettings>;

export const loadStorefrontConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(storefrontSettings, env);
