import {
  bool,
  hostPortList,
  int,
  loadConfig,
  namedInts,
  oneOf,
  port,
  secret,
  secretList,
  str,
  url,
} from '@shop/config';
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
  /** Schema introspection for clients; Sandbox needs it (development mode; see SANDBOX). */
  INTROSPECTION: bool(true),
  /**
   * `production`: only trusted documents run (TRUSTED_DOCUMENTS_FILE) unless an admin asks,
   * and Sandbox and introspection are off unless SANDBOX is on. `development` runs anything.
   */
  GATEWAY_MODE: oneOf(['development', 'production'], 'development'),
  /** The storefront's operations as an Apollo persisted query manifest (`npm run generate`). */
  TRUSTED_DOCUMENTS_FILE: str({ default: 'storefront/trusted-documents.json', max: 1000 }),
  /** Production mode: serve Sandbox and introspection anyway (operations still need an admin). */
  SANDBOX: bool(false),
  /**
   * Production mode: tokens (comma-separated, 32+ characters each) of clients that may run any
   * operation and use automatic persisted queries of their own, sent in `x-trusted-client`.
   */
  TRUSTED_CLIENT_TOKENS: secretList({ min: 32 }),
  /**
   * A supergraph config in Rover's `supergraph.yaml` form (see supergraph/supergraph-config.ts):
   * the gateway composes it, reading each subgraph's schema from a file or from the subgraph's
   * `_service { sdl }`. Unset (and no SUPERGRAPH_FILE): the five built-in subgraphs at *_URL.
   */
  SUPERGRAPH_CONFIG: str({ default: '', max: 1000 }),
  /** A supergraph SDL composed elsewhere (Rover, a registry); instead of SUPERGRAPH_CONFIG. */
  SUPERGRAPH_FILE: str({ default: '', max: 1000 }),
  /**
   * How often SUPERGRAPH_CONFIG or SUPERGRAPH_FILE is read again; a changed supergraph is taken
   * without a restart (subscriptions end with SUBSCRIPTION_SCHEMA_RELOAD). 0 never.
   */
  SUPERGRAPH_POLL_MS: int({ default: 10_000, min: 0, max: 3_600_000 }),
  /**
   * Cache answers to anonymous queries in Redis (see response-cache/), purged by the catalog's
   * events from Kafka (KAFKA_BROKERS). Off by default: it needs the catalog's relay running.
   */
  RESPONSE_CACHE: bool(false),
  /** The longest a cached answer is kept, whatever the subgraphs' hints allow. */
  RESPONSE_CACHE_MAX_TTL_SECONDS: int({ default: 300, min: 1, max: 86_400 }),
  /** Redis key prefix of the cache (separates deployments sharing one Redis). */
  RESPONSE_CACHE_KEY_PREFIX: str({ default: 'response-cache:', max: 100 }),
  /** Consumer group of the purges: one for every gateway sharing the cache. */
  RESPONSE_CACHE_GROUP: str({ default: 'gateway-response-cache', max: 200 }),
  KAFKA_BROKERS: hostPortList('127.0.0.1:9092'),
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
