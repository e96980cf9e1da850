import { bool, int, loadConfig, namedInts, oneOf, port, secret, str, url } from '@shop/config';
import { DEFAULT_SUBGRAPH_PORTS, SUBGRAPH_NAMES, type SubgraphName } from './subgraphs.ts';

const subgraphUrlSettings = Object.fromEntries(
  SUBGRAPH_NAMES.map((name) => [
    `${name.toUpperCase()}_URL`,
    url(['http', 'https'], `http://127.0.0.1:${DEFAULT_SUBGRAPH_PORTS[name]}/graphql`),
  ]),
) as Record<`${Uppercase<SubgraphName>}_URL`, ReturnType<typeof url>>;

export const gatewaySettings = {
  HOST: str({ default: '127.0.0.1' }),
  PORT: port(4000),
  INTERNAL_AUTH_SECRET: secret({ min: 32 }),
  /** Deepest selection nesting accepted (introspection is exempt). */
  MAX_QUERY_DEPTH: int({ default: 12, min: 2, max: 100 }),
  /** Most aliases in one operation; aliases multiply work without nesting. */
  MAX_QUERY_ALIASES: int({ default: 30, min: 0, max: 1000 }),
  /** Largest estimated cost (fields x requested page sizes x whole-list sizes) accepted. */
  MAX_QUERY_COST: int({ default: 10_000, min: 10, max: 10_000_000 }),
  /**
   * Items the cost estimate assumes for lists without `first`, as `Type.field=n,...`, on top of
   * DEFAULT_LIST_SIZES (limits/query-cost.ts): raise them when the store outgrows them.
   */
  QUERY_COST_LIST_SIZES: namedInts({ min: 1, max: 1_000_000 }),
  /** Largest request body; bigger ones get 413 before any parsing. */
  MAX_BODY_BYTES: int({ default: 256 * 1024, min: 1024, max: 10 * 1024 * 1024 }),
  /** Lifetime of automatic persisted queries in Redis. */
  APQ_TTL_SECONDS: int({ default: 86_400, min: 60, max: 30 * 86_400 }),
  /** Requests per client (user, or IP when signed out) per minute; 0 turns the limit off. */
  RATE_LIMIT_PER_MINUTE: int({ default: 600, min: 0, max: 1_000_000 }),
  /** Redis key prefix of the limiter's state (separates deployments sharing one Redis). */
  RATE_LIMIT_KEY_PREFIX: str({ default: 'rate-limit:gateway:', max: 100 }),
  /**
   * Proxies in front of the gateway that append the client address to X-Forwarded-For; 0 means
   * clients connect directly and the header is ignored (any client can forge it).
   */
  TRUSTED_PROXY_HOPS: int({ default: 0, min: 0, max: 10 }),
  /** Share identical in-flight subgraph queries between concurrent requests (never mutations). */
  SUBGRAPH_DEDUPLICATION: bool(true),
  /** Longest wait for one subgraph call. */
  SUBGRAPH_TIMEOUT_MS: int({ default: 10_000, min: 100, max: 120_000 }),
  /** WebSocket ping interval of subscription connections (clients and subgraphs). */
  SUBSCRIPTION_KEEPALIVE_MS: int({ default: 12_000, min: 1000, max: 300_000 }),
  /** Results queued for one slow subscriber; beyond it the subscriber skips to the latest. */
  SUBSCRIPTION_QUEUE_LIMIT: int({ default: 16, min: 1, max: 10_000 }),
  /**
   * How often an open subscription connection's session is checked (logout ends it): the
   * fallback for a revocation announcement (Redis pub/sub, acted on at once) this gateway missed.
   */
  SUBSCRIPTION_SESSION_CHECK_MS: int({ default: 15_000, min: 500, max: 600_000 }),
  /**
   * Open WebSocket connections per client address (see TRUSTED_PROXY_HOPS) on one gateway; more
   * are refused with HTTP 429 at the upgrade. graphql-ws multiplexes, so a browser needs one.
   */
  SUBSCRIPTION_CONNECTIONS_PER_ADDRESS: int({ default: 100, min: 1, max: 1_000_000 }),
  /** Open connections per signed-in user on one gateway; more are closed with 4429. */
  SUBSCRIPTION_CONNECTIONS_PER_USER: int({ default: 10, min: 1, max: 100_000 }),
  /** Subscriptions running at once on one connection; one more is answered with an error. */
  SUBSCRIPTION_OPERATIONS_PER_CONNECTION: int({ default: 25, min: 1, max: 10_000 }),
  /** Largest WebSocket message from a client; a bigger one closes the connection (1009). */
  SUBSCRIPTION_MAX_MESSAGE_BYTES: int({ default: 64 * 1024, min: 1024, max: 16 * 1024 * 1024 }),
  /** Schema introspection for clients; Sandbox needs it. */
  INTROSPECTION: bool(true),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  /** Where the user service publishes the public keys of access tokens. */
  JWKS_URL: url(
    ['http', 'https'],
    `http://127.0.0.1:${DEFAULT_SUBGRAPH_PORTS.user}/.well-known/jwks.json`,
  ),
  REDIS_URL: url(['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  ...subgraphUrlSettings,
};

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;
export const loadGatewayConfig = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(gatewaySettings, env);

export function subgraphUrls(config: GatewayConfig): Record<SubgraphName, string> {
  return Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [
      name,
      config[`${name.toUpperCase() as Uppercase<SubgraphName>}_URL`],
    ]),
  ) as Record<SubgraphName, string>;
}
