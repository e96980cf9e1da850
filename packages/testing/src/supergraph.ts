import { randomUUID } from 'node:crypto';
import { AccessTokenSigner, generateSigningKeyPem, type Identity } from '@shop/auth';
import { startCartService, loadCartConfig } from '@shop/cart';
import { startCatalogService, loadCatalogConfig } from '@shop/catalog';
import { startGateway, loadGatewayConfig, SUBGRAPH_NAMES, type SubgraphName } from '@shop/gateway';
import { createLogger, type Logger } from '@shop/logging';
import type { ServiceServer } from '@shop/observability';
import { startOrderService, loadOrderConfig } from '@shop/order';
import { startSearchService, loadSearchConfig } from '@shop/search';
import { startUserService, loadUserConfig } from '@shop/user';
import { freePort } from './free-port.ts';
import {
  TEST_INTERNAL_SECRET,
  TEST_PREFIX,
  testAnalyticsDatabase,
  type TestEnv,
} from './test-env.ts';

export interface RunningSupergraph {
  gatewayUrl: string;
  /** The user database its user service writes (tests create accounts there). */
  userDbUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  /** Signs an access token the gateway accepts (same key as the running user service). */
  tokenFor(
    identity: Identity,
    options?: { ttlSeconds?: number; sessionId?: string; now?: number },
  ): Promise<string>;
  /** `{ authorization: 'Bearer ...' }` for `identity`. */
  authAs(identity: Identity): Promise<Record<string, string>>;
  /**
   * Another gateway on these subgraphs, configured as this one with `settings` on top (the
   * caller closes it before the supergraph).
   */
  startGateway(settings: Record<string, string>, logger?: Logger): Promise<ServiceServer>;
  close(): Promise<void>;
}

/** Shared by every supergraph a test process starts, so tokens stay valid across them. */
let signingKey: Promise<string> | undefined;

/**
 * The whole supergraph in this process on free ports, each service started through its own
 * config loader exactly as its main.ts does, against the test databases and search prefix.
 */
export async function startSupergraph(
  env: TestEnv,
  overrides: { gateway?: Record<string, string> } = {},
): Promise<RunningSupergraph> {
  const logger = createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent');
  const privateKeyPem = await (signingKey ??= generateSigningKeyPem());
  const signer = await AccessTokenSigner.fromPem(privateKeyPem);
  const common = {
    HOST: '127.0.0.1',
    PORT: '0',
    INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET,
    LOG_LEVEL: 'silent',
    REDIS_URL: env.stack.redis.url,
  };
  // Catalog and user first: cart and order call the catalog (and order the cart) directly.
  const [catalog, user] = await Promise.all([
    startCatalogService(
      loadCatalogConfig({ ...common, DATABASE_URL: env.databaseUrl('catalog') }),
      logger.child({ service: 'catalog' }),
    ),
    startUserService(
      loadUserConfig({
        ...common,
        DATABASE_URL: env.databaseUrl('user'),
        JWT_PRIVATE_KEY: privateKeyPem,
      }),
      logger.child({ service: 'user' }),
    ),
  ]);
  const internal = { CATALOG_URL: `${catalog.url}/graphql` };
  // Cart and order call each other (the cart asks the order to price the checkout, the order
  // reads the cart at placement): the order's port is chosen before the cart starts.
  const orderPort = await freePort();
  const cart = await startCartService(
    loadCartConfig({
      ...common,
      ...internal,
      USER_URL: `${user.url}/graphql`,
      ORDER_URL: `http://127.0.0.1:${orderPort}/graphql`,
      DATABASE_URL: env.databaseUrl('cart'),
    }),
    logger.child({ service: 'cart' }),
  );
  const [order, search] = await Promise.all([
    startOrderService(
      loadOrderConfig({
        ...common,
        ...internal,
        PORT: String(orderPort),
        CART_URL: `${cart.url}/graphql`,
        USER_URL: `${user.url}/graphql`,
        DATABASE_URL: env.databaseUrl('order'),
      }),
      logger.child({ service: 'order' }),
    ),
    startSearchService(
      loadSearchConfig({
        ...common,
        ELASTICSEARCH_URL: env.stack.elasticsearch.url,
        SEARCH_INDEX_PREFIX: TEST_PREFIX,
        CLICKHOUSE_URL: env.stack.clickhouse.url,
        CLICKHOUSE_DATABASE: testAnalyticsDatabase(),
      }),
      logger.child({ service: 'search' }),
    ),
  ]);
  const services = [catalog, user, cart, order, search];
  const subgraphUrls = Object.fromEntries(
    SUBGRAPH_NAMES.map((name, i) => [name, `${services[i]!.url}/graphql`]),
  ) as Record<SubgraphName, string>;
  const gatewaySettings = {
    ...common,
    JWKS_URL: `${services[1]!.url}/.well-known/jwks.json`,
    // Every test client is 127.0.0.1: a shared per-IP limit would make unrelated tests flaky.
    // Tests of the limit itself turn it on through `overrides.gateway`.
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_KEY_PREFIX: `rate-limit:test-${randomUUID()}:`,
    ...Object.fromEntries(
      SUBGRAPH_NAMES.map((name) => [`${name.toUpperCase()}_URL`, subgraphUrls[name]]),
    ),
  };
  const gatewayWith = (settings: Record<string, string>, log: Logger) =>
    startGateway(loadGatewayConfig({ ...gatewaySettings, ...settings }), log);
  const gateway = await gatewayWith(overrides.gateway ?? {}, logger.child({ service: 'gateway' }));
  const tokenFor: RunningSupergraph['tokenFor'] = (identity, options = {}) =>
    signer.sign(
      identity,
      options.sessionId ?? randomUUID(),
      options.ttlSeconds ?? 600,
      options.now,
    );
  return {
    gatewayUrl: `${gateway.url}/graphql`,
    userDbUrl: env.databaseUrl('user'),
    subgraphUrls,
    tokenFor,
    authAs: async (identity) => ({ authorization: `Bearer ${await tokenFor(identity)}` }),
    startGateway: (settings, log = logger.child({ service: 'gateway' })) =>
      gatewayWith(settings, log),
    async close() {
      await gateway.close();
      await Promise.all(services.map((s) => s.close()));
    },
  };
}
