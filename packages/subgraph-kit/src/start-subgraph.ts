import type http from 'node:http';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { EndedSessions, IDENTITY_HEADER, type Identity } from '@shop/auth';
import { apolloHttpHandler } from '@shop/graphql-http';
import type { Logger } from '@shop/logging';
import { takeEventTrace } from '@shop/tracing';
import {
  createServiceMetrics,
  recordOperation,
  startServiceServer,
  type Probe,
  type RouteHandler,
  type ServiceMetrics,
  type ServiceServer,
} from '@shop/observability';
import { maskError } from './errors.ts';
import { connectRedis } from '@shop/redis';
import {
  identityFromHeader,
  identityFromRequest,
  type BaseSubgraphContext,
} from './identity-context.ts';
import { storableTextPlugin } from './text-input.ts';

export interface SubgraphOptions<C extends BaseSubgraphContext> {
  name: string;
  typeDefs: DocumentNode;
  /** Typed by each subgraph with its codegen `Resolvers`; checked against the SDL at build. */
  resolvers: object;
  /** The subgraphSettings() part of the service's configuration. */
  config: { HOST: string; PORT: number; INTERNAL_AUTH_SECRET: string; REDIS_URL: string };
  logger: Logger;
  probes: Record<string, Probe>;
  /** Builds the per-request context (DataLoaders and the like) around the verified identity. */
  context: (base: BaseSubgraphContext, req: http.IncomingMessage) => C | Promise<C>;
  onShutdown?: () => Promise<void>;
  /** Extra HTTP routes beside /graphql (for example the user service's JWKS). */
  routes?: Record<string, RouteHandler>;
  /** The service's metrics, when it registers its own on them (default: a new set). */
  metrics?: ServiceMetrics;
}

export interface RunningSubgraph extends ServiceServer {
  metrics: ServiceMetrics;
}

/**
 * RED metrics per GraphQL operation (count, errors, latency) for an Apollo server: the
 * subgraphs' and the gateway's. A request refused before it parsed counts as type `unknown`.
 */
export function operationMetricsPlugin<C extends BaseContext>(
  metrics: ServiceMetrics,
): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, operation, errors, request }) {
          recordOperation(metrics, {
            // A request refused before its operation resolved still has the name it sent.
            name: operationName ?? request.operationName,
            type: operation?.operation ?? 'unknown',
            failed: Boolean(errors?.length),
            seconds: (performance.now() - started) / 1000,
          });
        },
      };
    },
  };
}

/** How often the subgraph pings WebSocket clients (the gateway); silent ones are cut. */
const WS_KEEPALIVE_MS = 12_000;

/**
 * Serves the schema's subscriptions over graphql-ws on the service's HTTP server and `/graphql`
 * path. Only the gateway connects: it sends the caller's signed identity (the same value as the
 * HTTP identity header) in `connection_init`; a payload that fails verification is refused.
 */
function serveSubscriptions<C extends BaseSubgraphContext>(
  server: http.Server,
  schema: GraphQLSchema,
  options: SubgraphOptions<C>,
  sessions: EndedSessions,
): () => Promise<void> {
  const { logger } = options;
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const identities = new WeakMap<object, Identity | null>();
  const disposable = useServer<Record<string, unknown> | undefined>(
    {
      schema,
      onConnect: async (ctx) => {
        const signed = ctx.connectionParams?.[IDENTITY_HEADER];
        if (signed === undefined || signed === null || signed === '') {
          identities.set(ctx.extra.socket, null);
          return true;
        }
        const identity = await identityFromHeader(
          signed,
          options.config.INTERNAL_AUTH_SECRET,
          sessions,
          logger,
        );
        // A connection that sent an identity and had it refused is not served as a guest.
        if (!identity) return false;
        identities.set(ctx.extra.socket, identity);
        return true;
      },
      context: (ctx) =>
        options.context({ identity: identities.get(ctx.extra.socket) ?? null }, ctx.extra.request),
      onNext: (_ctx, _id, _payload, args, executed) => {
        // The event's trace (noteEventTrace), for the gateway's span of its push to the client.
        const trace = takeEventTrace(args.contextValue);
        const result = trace
          ? { ...executed, extensions: { ...executed.extensions, ...trace } }
          : executed;
        if (!result.errors?.length) return trace ? result : undefined;
        return {
          ...result,
          errors: result.errors.map((error) =>
            maskError((error as GraphQLError).toJSON(), error, (original) =>
              logger.error({ err: original }, 'subscription failed'),
            ),
          ),
        };
      },
    },
    wss,
    WS_KEEPALIVE_MS,
  );
  return async () => {
    // Closes the WebSocket server too.
    await disposable.dispose();
  };
}

/**
 * Builds one federated subgraph and serves it with /health, /ready and /metrics; a schema with
 * a Subscription type is also served over graphql-ws on the same port and path.
 */
export async function startSubgraph<C extends BaseSubgraphContext>(
  options: SubgraphOptions<C>,
): Promise<RunningSubgraph> {
  const { logger } = options;
  const metrics = options.metrics ?? createServiceMetrics(options.name);
  const schema = buildSubgraphSchema([
    { typeDefs: options.typeDefs, resolvers: options.resolvers as GraphQLResolverMap<unknown> },
  ]);
  const apollo = new ApolloServer<C>({
    schema,
    includeStacktraceInErrorResponses: false,
    // closeOnSignals() drains HTTP first and then stops Apollo; Apollo's own handler would re-raise.
    stopOnTerminationSignals: false,
    // Subgraphs are reached only by the gateway; the schema is public through it anyway.
    introspection: true,
    // Inline traces are for GraphOS reporting, which this project does not use; they cost per field.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      operationMetricsPlugin<C>(metrics),
      storableTextPlugin<C>(),
    ],
    formatError: (formatted, error) =>
      maskError(formatted, error, (original) => logger.error({ err: original }, 'resolver failed')),
  });
  await apollo.start();
  const [redis, subscriber] = await Promise.all([
    connectRedis(options.config.REDIS_URL, 'REDIS_URL'),
    connectRedis(options.config.REDIS_URL, 'REDIS_URL'),
  ]);
  const sessions = new EndedSessions(redis, subscriber);
  await sessions.start();
  const handler = apolloHttpHandler(apollo, {
    context: async (req) =>
      options.context(
        {
          identity: await identityFromRequest(
            req,
            options.config.INTERNAL_AUTH_SECRET,
            sessions,
            logger,
          ),
        },
        req,
      ),
  });
  let closeSubscriptions: (() => Promise<void>) | undefined;
  const server = await startServiceServer({
    name: options.name,
    host: options.config.HOST,
    port: options.config.PORT,
    logger,
    metrics,
    probes: options.probes,
    routes: { ...options.routes, '/graphql': handler },
    onShutdown: async () => {
      await apollo.stop();
      await options.onShutdown?.();
      await sessions.close();
      redis.disconnect();
      subscriber.disconnect();
    },
  });
  if (schema.getSubscriptionType())
    closeSubscriptions = serveSubscriptions(server.server, schema, options, sessions);
  return {
    ...server,
    metrics,
    // Upgraded sockets are not the HTTP server's any more: end them first, or close would wait.
    close: async () => {
      await closeSubscriptions?.();
      await server.close();
    },
  };
}
