import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { apolloHttpHandler } from '@shop/graphql-http';
import type { Logger } from '@shop/logging';
import { createServiceMetrics, startServiceServer, type ServiceServer } from '@shop/observability';
import { AccessTokenVerifier } from '@shop/auth';
import { connectRedis } from '@shop/redis';
import { maskError, operationMetricsPlugin, storableTextPlugin } from '@shop/subgraph-kit';
import { authenticate, clientAddress } from './authenticate.ts';
import { clientRateLimit } from './client-rate-limit.ts';
import { executableOperationPlugin } from './executable-operation-plugin.ts';
import {
  queryCostPlugin,
  queryLimitRules,
  type QueryLimits,
} from './limits/query-limits-plugin.ts';
import { DEFAULT_LIST_SIZES } from './limits/query-cost.ts';
import { RedisKeyValueCache } from './redis-key-value-cache.ts';
import { composeSupergraph } from './compose.ts';
import { subgraphUrls, type GatewayConfig } from './config.ts';
import type { GatewayContext } from './context.ts';
import { IdentityDataSource } from './identity-data-source.ts';
import { createSubgraphFetcher } from './subgraph-fetcher.ts';
import {
  registerSubscriptionMetrics,
  startGatewaySubscriptions,
  type GatewaySubscriptions,
} from './subscriptions/index.ts';

async function subgraphHealthy(url: string): Promise<void> {
  const health = new URL('/health', url);
  const response = await fetch(health);
  if (!response.ok) throw new Error(`${health.href} answered ${response.status}`);
}

/** Starts the gateway: one endpoint for the whole supergraph, with Sandbox as its landing page. */
export async function startGateway(config: GatewayConfig, logger: Logger): Promise<ServiceServer> {
  const urls = subgraphUrls(config);
  const redis = await connectRedis(config.REDIS_URL, 'REDIS_URL');
  const verifier = AccessTokenVerifier.remote(config.JWKS_URL);
  const rateLimit = clientRateLimit(
    redis,
    config.RATE_LIMIT_PER_MINUTE,
    config.RATE_LIMIT_KEY_PREFIX,
  );
  const fetcher = createSubgraphFetcher({
    deduplicate: config.SUBGRAPH_DEDUPLICATION,
    timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
  });
  const supergraphSdl = composeSupergraph(urls);
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ url }) => new IdentityDataSource(url!, config.INTERNAL_AUTH_SECRET, fetcher),
    logger,
  });
  const limits: QueryLimits = {
    maxDepth: config.MAX_QUERY_DEPTH,
    maxAliases: config.MAX_QUERY_ALIASES,
    maxCost: config.MAX_QUERY_COST,
    listSizes: { ...DEFAULT_LIST_SIZES, ...config.QUERY_COST_LIST_SIZES },
  };
  const metrics = createServiceMetrics('gateway');
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    validationRules: queryLimitRules(limits),
    // Explicit although it is Apollo's default: refuses simple (CORS-preflight-free) requests
    // that a malicious page could make with a user's cookies.
    csrfPrevention: true,
    persistedQueries: {
      cache: new RedisKeyValueCache(redis, 'apq:', config.APQ_TTL_SECONDS),
      ttl: config.APQ_TTL_SECONDS,
    },
    introspection: config.INTROSPECTION,
    includeStacktraceInErrorResponses: false,
    // closeOnSignals() drains HTTP first and then stops Apollo; Apollo's own handler would re-raise.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
      executableOperationPlugin<GatewayContext>(),
      storableTextPlugin<GatewayContext>(),
      queryCostPlugin<GatewayContext>(limits),
      operationMetricsPlugin<GatewayContext>(metrics),
    ],
    formatError: (formatted, error) =>
      maskError(formatted, error, (original) => logger.error({ err: original }, 'gateway error')),
  });
  await apollo.start();
  const service = await startServiceServer({
    name: 'gateway',
    host: config.HOST,
    port: config.PORT,
    logger,
    metrics,
    probes: {
      ...Object.fromEntries(
        Object.entries(urls).map(([name, url]) => [name, () => subgraphHealthy(url)]),
      ),
      redis: () => redis.ping(),
    },
    routes: {
      '/graphql': apolloHttpHandler(apollo, {
        maxBodyBytes: config.MAX_BODY_BYTES,
        context: async (req) => {
          const context: GatewayContext = {
            identity: await authenticate(req, verifier, redis),
            clientAddress: clientAddress(req, config.TRUSTED_PROXY_HOPS),
          };
          await rateLimit?.(context);
          return context;
        },
      }),
      '/': async (_req, res) => {
        res.writeHead(302, { location: '/graphql' });
        res.end();
      },
    },
    onShutdown: async () => {
      await apollo.stop();
      await fetcher.close();
      redis.disconnect();
    },
  });
  let subscriptions: GatewaySubscriptions;
  try {
    subscriptions = await startGatewaySubscriptions({
      server: service.server,
      supergraphSdl,
      subgraphUrls: urls,
      serviceMap: Object.fromEntries(
        Object.entries(urls).map(([name, url]) => [
          name,
          new IdentityDataSource(url, config.INTERNAL_AUTH_SECRET, fetcher),
        ]),
      ),
      validationRules: queryLimitRules(limits),
      verifier,
      redis,
      logger,
      internalAuthSecret: config.INTERNAL_AUTH_SECRET,
      keepAliveMs: config.SUBSCRIPTION_KEEPALIVE_MS,
      queueLimit: config.SUBSCRIPTION_QUEUE_LIMIT,
      sessionCheckMs: config.SUBSCRIPTION_SESSION_CHECK_MS,
      limits: {
        connectionsPerAddress: config.SUBSCRIPTION_CONNECTIONS_PER_ADDRESS,
        connectionsPerUser: config.SUBSCRIPTION_CONNECTIONS_PER_USER,
        subscriptionsPerConnection: config.SUBSCRIPTION_OPERATIONS_PER_CONNECTION,
        maxMessageBytes: config.SUBSCRIPTION_MAX_MESSAGE_BYTES,
      },
      addressOf: (req) => clientAddress(req, config.TRUSTED_PROXY_HOPS),
    });
  } catch (error) {
    // Its Redis subscriber could not subscribe: stop what started, and fail the start.
    await service.close();
    throw error;
  }
  registerSubscriptionMetrics(metrics.registry, subscriptions);
  return {
    ...service,
    // Upgraded sockets are not the HTTP server's any more: end them first, or close would wait.
    close: async () => {
      await subscriptions.close();
      await service.close();
    },
  };
}
