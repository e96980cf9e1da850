import { int, loadConfig, str, url } from '@shop/config';
import { subgraphSettings } from '@shop/subgraph-kit';

export const cartSettings = {
  ...subgraphSettings(4003),
  DATABASE_URL: url(['postgres', 'postgresql']),
  /** The catalog subgraph, asked for current prices and stock. */
  CATALOG_URL: url(['http', 'https'], 'http://127.0.0.1:4001/graphql'),
  CATALOG_TIMEOUT_MS: int({ default: 2000, min: 50, max: 60_000 }),
  /** The user subgraph, asked for the address chosen at checkout (internal `userAddress`). */
  USER_URL: url(['http', 'https'], 'http://127.0.0.1:4002/graphql'),
  /** The order subgraph, which prices the checkout (internal `checkoutQuote`). */
  ORDER_URL: url(['http', 'https'], 'http://127.0.0.1:4004/graphql'),
  /** Deadline of a call to the user or order subgraph. */
  PEER_TIMEOUT_MS: int({ default: 3000, min: 50, max: 60_000 }),
  /** How long a user's cart lines stay cached in Redis (changes invalidate at once). */
  CART_CACHE_TTL_SECONDS: int({ default: 300, min: 1, max: 86_400 }),
  /**
   * Codes a customer may try per window (a code that applies gives its attempt back): guessing
   * codes one request at a time stays slow.
   */
  DISCOUNT_CODE_ATTEMPTS: int({ default: 10, min: 1, max: 10_000 }),
  DISCOUNT_CODE_WINDOW_SECONDS: int({ default: 600, min: 1, max: 86_400 }),
  RATE_LIMIT_KEY_PREFIX: str({ default: 'rate-limit:cart:', max: 100 }),
};

export type CartConfig = ReturnType<typeof loadCartConfig>;
export const loadCartConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(cartSettings, env);
