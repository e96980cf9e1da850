import type { ApolloGateway } from '@apollo/gateway';
import type {
  GatewayCachePolicy,
  GatewayExecutionResult,
  GatewayGraphQLRequestContext,
  GatewayInterface,
  GatewayLoadResult,
  GatewaySchemaLoadOrUpdateCallback,
} from '@apollo/server-gateway-interface';
import type { DocumentNode, GraphQLError, GraphQLFormattedError } from 'graphql';
import { context as otelContext, trace } from '@opentelemetry/api';
import { inSampledSpan } from '@shop/tracing';
import { getVariableValues } from '../subscriptions/graphql-cjs.ts';
import type { GatewayContext } from '../context.ts';
import type { DeferNode } from '@apollo/query-planner';
import { deliverDeferred } from './incremental.ts';
import { executePlan } from './plan-executor.ts';
import { projectResponse } from './response-shape.ts';
import { subgraphSender, type SubgraphSenderOptions } from './subgraph-sender.ts';
import { SupergraphRuntime } from './supergraph-runtime.ts';

const tracer = trace.getTracer('@shop/gateway');

/**
 * @apollo/gateway keeps what it does well (loading, validating and hot-reloading the supergraph,
 * and its query planner); the plans run on the project's own executor: equal entity
 * representations sent once, merging in place, and one projection of the merged data onto the
 * client's selection, compiled once per operation.
 */
export class PlanExecutingGateway implements GatewayInterface {
  private runtime: SupergraphRuntime | undefined;
  private readonly listeners = new Set<(runtime: SupergraphRuntime) => void>();

  constructor(
    private readonly apollo: ApolloGateway,
    private readonly sender: SubgraphSenderOptions,
    /** Formats (masks) the errors of deferred payloads as Apollo Server does the first answer's. */
    private readonly formatError: (error: GraphQLError) => GraphQLFormattedError = (error) =>
      error.toJSON(),
  ) {
    apollo.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) => this.runtimeOf(coreSupergraphSdl));
  }

  private runtimeOf(sdl: string): SupergraphRuntime {
    if (this.runtime?.sdl !== sdl) {
      this.runtime = new SupergraphRuntime(sdl);
      for (const listener of this.listeners) listener(this.runtime);
    }
    return this.runtime;
  }

  /** The runtime of the current supergraph (the subscriptions plan on it too). */
  current(): SupergraphRuntime {
    if (!this.runtime) throw new Error('The supergraph is not loaded yet');
    return this.runtime;
  }

  onRuntime(listener: (runtime: SupergraphRuntime) => void): void {
    this.listeners.add(listener);
  }

  async load(options: Parameters<GatewayInterface['load']>[0]): Promise<GatewayLoadResult> {
    await this.apollo.load(options);
    return { executor: (requestContext) => this.execute(requestContext) };
  }

  /** Apollo Server validates against the runtime's API schema: the one that declares @defer. */
  onSchemaLoadOrUpdate(callback: GatewaySchemaLoadOrUpdateCallback) {
    return this.apollo.onSchemaLoadOrUpdate(({ coreSupergraphSdl }) =>
      callback({ apiSchema: this.runtimeOf(coreSupergraphSdl).apiSchema, coreSupergraphSdl }),
    );
  }

  stop(): Promise<void> {
    return this.apollo.stop();
  }

  private execute(requestContext: GatewayGraphQLRequestContext): Promise<GatewayExecutionResult> {
    const { request, document, queryHash } = requestContext;
    return this.run({
      key: queryHash,
      document,
      operationName: request.operationName ?? undefined,
      variables: request.variables ?? {},
      context: requestContext.context as Partial<GatewayContext>,
      cachePolicy: requestContext.overallCachePolicy,
      onError: (error) => requestContext.logger.error(`deferred delivery failed: ${String(error)}`),
    });
  }

  /**
   * Runs a validated operation (over HTTP through Apollo Server's pipeline, or a query over
   * graphql-ws). With `context.incremental`, deferred parts follow through that channel.
   */
  async run(request: {
    /** Names the document: the same key, the same document (a hash of its text). */
    key: string;
    document: DocumentNode;
    operationName: string | undefined;
    variables: Record<string, unknown>;
    context: Partial<GatewayContext>;
    cachePolicy?: GatewayCachePolicy;
    onError: (error: unknown) => void;
  }): Promise<GatewayExecutionResult> {
    const runtime = this.current();
    const { document, operationName, variables, context } = request;
    const prepared = runtime.prepare(
      `${request.key}\0${operationName ?? ''}`,
      document,
      operationName,
    );
    const definitions = prepared.operation.variableDefinitions;
    if (definitions?.length) {
      const coerced = getVariableValues(runtime.apiSchema, definitions, variables);
      if (coerced.errors) return { errors: coerced.errors };
    }
    const send = subgraphSender(this.sender, runtime.urls, context, request.cachePolicy);
    const merged: Record<string, unknown> = {};
    const defers: DeferNode[] = [];
    // Over HTTP the request's trace (or none) is continued; over graphql-ws the sampler decides.
    const parent = context.httpRequest ? otelContext.active() : undefined;
    const result = await inSampledSpan(
      tracer,
      'gateway.execute',
      {},
      async () => {
        const errors: GraphQLError[] = [];
        if (prepared.plan.node && prepared.plan.node.kind !== 'Subscription') {
          await executePlan(prepared.plan.node, merged, {
            supergraph: runtime.supergraph,
            variables,
            defaults: prepared.shape.defaults,
            send,
            errors,
            // Deferred parts wait only for a client that reads multipart answers.
            ...(context.incremental ? { deferred: defers } : {}),
          });
        }
        const projected = projectResponse(prepared.shape, merged, {
          relations: runtime.api,
          variables,
          incremental: defers.length > 0,
        });
        // Completion errors after a failed fetch repeat its story; alone they are reported aside,
        // as @apollo/gateway and the Router do ("valueCompletion").
        if (errors.length) return { errors, data: projected.data };
        if (projected.errors.length)
          return { data: projected.data, extensions: { valueCompletion: projected.errors } };
        return { data: projected.data };
      },
      parent,
    );
    if (defers.length && context.incremental) {
      // The first answer lacks the deferred parts: never a cached answer.
      request.cachePolicy?.restrict({ maxAge: 0 });
      context.incremental.started = true;
      void deliverDeferred(
        defers,
        {
          runtime,
          prepared,
          variables,
          send,
          channel: context.incremental,
          root: merged,
          formatError: this.formatError,
        },
        request.onError,
      );
    }
    return result;
  }
}
