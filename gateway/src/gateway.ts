import type http from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControl } from '@apollo/server/plugin/cacheControl';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { apolloHttpHandler } from '@shop/graphql-http';
import type { Logger } from '@shop/logging';
import { createServiceMetrics, startServiceServer, type ServiceServer } from '@shop/observability';
import { AccessTokenVerifier } from '@shop/auth';
import { SecretMatcher, StartupError } from '@shop/config';
import { createKafka } from '@shop/kafka';
import { connectRedis } from '@shop/redis';
import { maskError, operationMetricsPlugin, storableTextPlugin } from '@shop/subgraph-kit';
import { authenticate, clientAddress } from './authenticate.ts';
import { clientRateLimit } from './client-rate-limit.ts';
import { socketQueries } from './socket-queries.ts';
import { executableOperationPlugin } from './executable-operation-plugin.ts';
import {
  queryCostPlugin,
  queryLimitRules,
  type QueryLimits,
} from './limits/query-limits-plugin.ts';
import { DEFAULT_LIST_SIZES } from './limits/query-cost.ts';
import { RedisKeyValueCache } from './redis-key-value-cache.ts';
import {
  createResponseCacheMetrics,
  noStorePlugin,
  responseCachePlugin,
  ResponseCacheStore,
  startPurgeConsumer,
} from './response-cache/index.ts';
import { subgraphUrls, type GatewayConfig } from './config.ts';
import type { GatewayContext } from './context.ts';
import { IncrementalChannel, PlanExecutingGateway } from './executor/index.ts';
import { createSubgraphFetcher } from './subgraph-fetcher.ts';
import {
  builtInSupergraph,
  composedFromConfig,
  reloadingSupergraph,
  supergraphFile,
  type SupergraphSource,
} from './supergraph/index.ts';
import {
  requestedDocument,
  TrustedDocuments,
  TRUSTED_CLIENT_HEADER,
  TrustedDocumentsCache,
  untrustedOperation,
} from './trusted-documents.ts';
import {
  registerSubscriptionMetrics,
  startGatewaySubscriptions,
  type GatewaySubscriptions,
} from './subscriptions/index.ts';

/** A client that reads incremental answers (Apollo Client sends this for operations with @defer). */
const acceptsMultipart = (req: http.IncomingMessage) =>
  (req.headers.accept ?? '').includes('multipart/mixed');

/** A subgraph is ready when it answers GraphQL (any subgraph does; not all have a /health). */
async function subgraphAnswers(url: string): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: '{"query":"{ __typename }"}',
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
}

function supergraphSource(config: GatewayConfig): SupergraphSource {
  if (config.SUPERGRAPH_CONFIG && config.SUPERGRAPH_FILE)
    throw new StartupError('SUPERGRAPH_FILE', 'set SUPERGRAPH_CONFIG or SUPERGRAPH_FILE, not both');
  if (config.SUPERGRAPH_CONFIG) return composedFromConfig(config.SUPERGRAPH_CONFIG);
  if (config.SUPERGRAPH_FILE) return supergraphFile(config.SUPERGRAPH_FILE);
  return builtInSupergraph(subgraphUrls(config));
}

/** Starts the gateway: one endpoint for the whole supergraph, with Sandbox as its landing page. */
export async function startGateway(config: GatewayConfig, logger: Logger): Promise<ServiceServer> {
  const source = supergraphSource(config);
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
  // @apollo/gateway otherwise sends usage figures to Apollo's servers every hour and probes
  // cloud metadata endpoints as it starts: this gateway sends nothing to a vendor.
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const gateway = new PlanExecutingGateway(
    new ApolloGateway({
      supergraphSdl: reloadingSupergraph({
        source,
        pollMs: config.SUPERGRAPH_POLL_MS,
        logger: logger.child({ component: 'supergraph' }),
      }),
      logger,
    }),
    { fetcher, secret: config.INTERNAL_AUTH_SECRET },
    (error) =>
      maskError(error.toJSON(), error, (original) =>
        logger.error({ err: original }, 'gateway error'),
      ),
  );
  // The supergraph's own join__graph entries name the subgraphs: probes, subscription routing.
  const probes: Record<string, () => Promise<unknown>> = {};
  let subscriptions: GatewaySubscriptions | undefined;
  let loaded = false;
  gateway.onRuntime((runtime) => {
    for (const name of Object.keys(probes)) delete probes[name];
    for (const [name, url] of runtime.urls) probes[name] = () => subgraphAnswers(url);
    probes.redis = () => redis.ping();
    if (loaded) {
      logger.info({ subgraphs: [...runtime.urls.keys()] }, 'supergraph updated');
      subscriptions?.reload(runtime);
    }
    loaded = true;
  });
  const limits: QueryLimits = {
    maxDepth: config.MAX_QUERY_DEPTH,
    maxAliases: config.MAX_QUERY_ALIASES,
    maxCost: config.MAX_QUERY_COST,
    listSizes: { ...DEFAULT_LIST_SIZES, ...config.QUERY_COST_LIST_SIZES },
  };
  const metrics = createServiceMetrics('gateway');
  const production = config.GATEWAY_MODE === 'production';
  const trusted = production ? TrustedDocuments.load(config.TRUSTED_DOCUMENTS_FILE) : undefined;
  if (trusted)
    logger.info(
      { file: config.TRUSTED_DOCUMENTS_FILE, operations: trusted.size },
      'production mode: trusted documents only',
    );
  const sandbox = production ? config.SANDBOX : true;
  const trustedClients = new SecretMatcher(config.TRUSTED_CLIENT_TOKENS);
  const registered = new RedisKeyValueCache(redis, 'apq:', config.APQ_TTL_SECONDS);
  const responseCache = config.RESPONSE_CACHE
    ? {
        store: new ResponseCacheStore(redis, config.RESPONSE_CACHE_KEY_PREFIX),
        metrics: createResponseCacheMetrics(metrics.registry),
      }
    : undefined;
  const purges = responseCache
    ? startPurgeConsumer({
        kafka: createKafka({ clientId: 'gateway', brokers: config.KAFKA_BROKERS }),
        groupId: config.RESPONSE_CACHE_GROUP,
        logger: logger.child({ component: 'response-cache' }),
        ...responseCache,
      })
    : undefined;
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    validationRules: queryLimitRules(limits),
    // Explicit although it is Apollo's default: refuses simple (CORS-preflight-free) requests
    // that a malicious page could make with a user's cookies.
    csrfPrevention: true,
    persistedQueries: {
      cache: trusted ? new TrustedDocumentsCache(trusted, registered) : registered,
      ttl: config.APQ_TTL_SECONDS,
    },
    introspection: production ? config.SANDBOX : config.INTROSPECTION,
    // Without introspection, "did you mean" suggestions would spell the schema out field by field.
    hideSchemaDetailsFromClientErrors: !sandbox,
    includeStacktraceInErrorResponses: false,
    // closeOnSignals() drains HTTP first and then stops Apollo; Apollo's own handler would re-raise.
    stopOnTerminationSignals: false,
    plugins: [
      sandbox
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
        : ApolloServerPluginLandingPageDisabled(),
      // Hints are computed for the response cache; the header sent is noStorePlugin's.
      ApolloServerPluginCacheControl({ calculateHttpHeaders: false }),
      noStorePlugin<GatewayContext>(),
      ...(responseCache
        ? [
            responseCachePlugin({
              ...responseCache,
              maxTtlSeconds: config.RESPONSE_CACHE_MAX_TTL_SECONDS,
              logger: logger.child({ component: 'response-cache' }),
            }),
          ]
        : []),
      executableOperationPlugin<GatewayContext>(),
      storableTextPlugin<GatewayContext>(),
      queryCostPlugin<GatewayContext>(limits),
      operationMetricsPlugin<GatewayContext>(metrics),
    ],
    formatError: (formatted, error) =>
      maskError(formatted, error, (original) => logger.error({ err: original }, 'gateway error')),
  });
  await apollo.start();
  // Without its purges the cache could serve stale answers: no start without Kafka, and none
  // before the group is joined (a new group starts at the end of the topics when it joins).
  await purges?.start().catch((error: unknown) => {
    throw new StartupError(
      'KAFKA_BROKERS',
      `cannot reach Kafka for the response cache's purges (${(error as Error).message})`,
    );
  });
  await purges?.joined;
  const service = await startServiceServer({
    name: 'gateway',
    host: config.HOST,
    port: config.PORT,
    logger,
    metrics,
    probes,
    routes: {
      '/graphql': apolloHttpHandler(apollo, {
        maxBodyBytes: config.MAX_BODY_BYTES,
        subsequentPayloads: (context) =>
          context.incremental?.started ? context.incremental : undefined,
        context: async (req, request) => {
          const context: GatewayContext = {
            identity: await authenticate(req, verifier, redis),
            clientAddress: clientAddress(req, config.TRUSTED_PROXY_HOPS),
            httpRequest: true,
            ...(acceptsMultipart(req) ? { incremental: new IncrementalChannel() } : {}),
          };
          await rateLimit?.(context);
          // Before anything parses the document: an unknown one costs a hash and a lookup.
          if (
            trusted &&
            !trusted.allows(
              requestedDocument(request),
              context.identity,
              trustedClients.matches(req.headers[TRUSTED_CLIENT_HEADER]),
            )
          )
            throw untrustedOperation();
          return context;
        },
      }),
      '/': async (_req, res) => {
        res.writeHead(302, { location: '/graphql' });
        res.end();
      },
    },
    onShutdown: async () => {
      await purges?.stop();
      await apollo.stop();
      await fetcher.close();
      redis.disconnect();
    },
  });
  try {
    subscriptions = await startGatewaySubscriptions({
      server: service.server,
      runtime: gateway.current(),
      sender: { fetcher, secret: config.INTERNAL_AUTH_SECRET },
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
      trusted,
      queries: socketQueries({ gateway, rateLimit, limits, logger }),
      isTrustedClient: (token) => trustedClients.matches(token as string | string[] | undefined),
    });
  } catch (error) {
    // Its Redis subscriber could not subscribe: stop what started, and fail the start.
    await service.close();
    throw error;
  }
  const started = subscriptions;
  registerSubscriptionMetrics(metrics.registry, started);
  return {
    ...service,
    // Upgraded sockets are not the HTTP server's any more: end them first, or close would wait.
    close: async () => {
      await started.close();
      await service.close();
    },
  };
}
