import type http from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { DocumentNode } from 'graphql';
import { apolloHttpHandler } from '@shop/graphql-http';
import type { Logger } from '@shop/logging';
import {
  createServiceMetrics,
  startServiceServer,
  type Probe,
  type RouteHandler,
  type ServiceMetrics,
  type ServiceServer,
} from '@shop/observability';
import { maskError } from './errors.ts';
import { identityFromRequest, type BaseSubgraphContext } from './identity-context.ts';

export interface SubgraphOptions<C extends BaseSubgraphContext> {
  name: string;
  typeDefs: DocumentNode;
  /** Typed by each subgraph with its codegen `Resolvers`; checked against the SDL at build. */
  resolvers: object;
  /** The subgraphSettings() part of the service's configuration. */
  config: { HOST: string; PORT: number; INTERNAL_AUTH_SECRET: string };
  logger: Logger;
  probes: Record<string, Probe>;
  /** Builds the per-request context (DataLoaders and the like) around the verified identity. */
  context: (base: BaseSubgraphContext, req: http.IncomingMessage) => C | Promise<C>;
  onShutdown?: () => Promise<void>;
  /** Extra HTTP routes beside /graphql (for example the user service's JWKS). */
  routes?: Record<string, RouteHandler>;
}

export interface RunningSubgraph extends ServiceServer {
  metrics: ServiceMetrics;
}

function operationMetricsPlugin(metrics: ServiceMetrics): ApolloServerPlugin<BaseSubgraphContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operationName, operation, errors }) {
          metrics.graphqlOperations.inc({
            operation: operationName ?? 'anonymous',
            type: operation?.operation ?? 'unknown',
            outcome: errors?.length ? 'error' : 'ok',
          });
        },
      };
    },
  };
}

/** Builds one federated subgraph and serves it with /health, /ready and /metrics. */
export async function startSubgraph<C extends BaseSubgraphContext>(
  options: SubgraphOptions<C>,
): Promise<RunningSubgraph> {
  const { logger } = options;
  const metrics = createServiceMetrics(options.name);
  const apollo = new ApolloServer<C>({
    schema: buildSubgraphSchema([
      { typeDefs: options.typeDefs, resolvers: options.resolvers as GraphQLResolverMap<unknown> },
    ]),
    includeStacktraceInErrorResponses: false,
    // closeOnSignals() drains HTTP first and then stops Apollo; Apollo's own handler would re-raise.
    stopOnTerminationSignals: false,
    // Subgraphs are reached only by the gateway; the schema is public through it anyway.
    introspection: true,
    // Inline traces are for GraphOS reporting, which this project does not use; they cost per field.
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      operationMetricsPlugin(metrics) as ApolloServerPlugin<C>,
    ],
    formatError: (formatted, error) =>
      maskError(formatted, error, (original) => logger.error({ err: original }, 'resolver failed')),
  });
  await apollo.start();
  const handler = apolloHttpHandler(apollo, {
    context: async (req) =>
      options.context(
        { identity: identityFromRequest(req, options.config.INTERNAL_AUTH_SECRET, logger) },
        req,
      ),
  });
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
    },
  });
  return { ...server, metrics };
}
