import { createHash } from 'node:crypto';
import {
  buildOperationContext,
  executeQueryPlan,
  type GraphQLDataSource,
  type ServiceMap,
} from '@apollo/gateway';
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import type {
  DocumentNode,
  ExecutionResult,
  GraphQLError,
  GraphQLSchema,
  ValidationRule,
} from 'graphql';
import { trace } from '@opentelemetry/api';
import { getVariableValues, graphqlJs } from './graphql-cjs.ts';

const {
  GraphQLError: GraphQLErrorClass,
  getOperationAST,
  parse,
  print,
  specifiedRules,
  validate,
} = graphqlJs;
import type { Logger } from '@shop/logging';
import type { GatewayContext } from '../context.ts';

const tracer = trace.getTracer('@shop/gateway/subscriptions');

/** The service name the primary fetch is rerouted to: a source that answers with the event. */
const EVENT_SOURCE = '__subscription_event__';

type OperationContext = ReturnType<typeof buildOperationContext>;

/** A validated subscription operation and its plan, ready to be shared by identical callers. */
export interface PlannedSubscription {
  /** Same operation text, operation name and variables; the identity scope is added by callers. */
  key: string;
  document: DocumentNode;
  primary: FetchNode;
  /** Variables of the primary fetch (the ones its operation uses). */
  primaryVariables: Record<string, unknown>;
  /** Turns one upstream event into the client's result: the rest plan fetched and merged. */
  resolve(event: ExecutionResult, context: GatewayContext): Promise<ExecutionResult>;
}

function badRequest(message: string): GraphQLError {
  return new GraphQLErrorClass(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/**
 * Plans subscriptions with @apollo/gateway's own query planner (a `Subscription` node: a
 * `primary` fetch to the owning subgraph and a `rest` plan) and resolves each event through the
 * gateway's executor: a per-event plan `Sequence[primary, rest]` whose primary fetch is answered
 * by the event itself, so entity fetches, merging and response shaping are Apollo's.
 */
export class SubscriptionPlanner {
  private readonly supergraphSchema: GraphQLSchema;
  private readonly apiSchema: Schema;
  readonly schema: GraphQLSchema;
  private readonly planner: QueryPlanner;

  constructor(
    supergraphSdl: string,
    private readonly serviceMap: ServiceMap,
    private readonly rules: ValidationRule[],
    private readonly logger: Logger,
  ) {
    const supergraph = Supergraph.build(supergraphSdl);
    this.supergraphSchema = supergraph.schema.toGraphQLJSSchema();
    this.apiSchema = supergraph.apiSchema();
    this.schema = this.apiSchema.toGraphQLJSSchema();
    this.planner = new QueryPlanner(supergraph);
  }

  /** Validates and plans; errors are the client's (BAD_USER_INPUT / GraphQL validation). */
  plan(
    query: string,
    operationName: string | null | undefined,
    rawVariables: Record<string, unknown> | null | undefined,
  ): PlannedSubscription | readonly GraphQLError[] {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      return [
        error instanceof GraphQLErrorClass ? error : badRequest('Cannot parse the operation'),
      ];
    }
    const errors = validate(this.schema, document, [...specifiedRules, ...this.rules]);
    if (errors.length) return errors;
    const operation = getOperationAST(document, operationName ?? undefined);
    if (!operation) return [badRequest('Name the operation to run')];
    if (operation.operation !== 'subscription')
      return [badRequest('Send queries and mutations over HTTP; WebSocket is for subscriptions')];
    const coerced = getVariableValues(
      this.schema,
      operation.variableDefinitions ?? [],
      rawVariables ?? {},
    );
    if (coerced.errors) return coerced.errors;
    const variables = coerced.coerced;
    const operationContext = buildOperationContext({
      schema: this.schema,
      operationDocument: document,
      ...(operationName ? { operationName } : {}),
    });
    // Planning as a span, like @apollo/gateway's own `gateway.plan` for queries and mutations.
    const plan = tracer.startActiveSpan('gateway.subscription.plan', (span) => {
      try {
        return this.planner.buildQueryPlan(
          operationFromDocument(this.apiSchema, document, operationName ? { operationName } : {}),
        );
      } finally {
        span.end();
      }
    });
    if (plan.node?.kind !== 'Subscription') return [badRequest('Not a subscription')];
    const { primary, rest } = plan.node;
    const primaryVariables = Object.fromEntries(
      (primary.variableUsages ?? [])
        .filter((name) => name in variables)
        .map((name) => [name, variables[name]]),
    );
    const key = createHash('sha256')
      .update(print(operation))
      .update('\0')
      .update(JSON.stringify(variables))
      .digest('base64url');
    return {
      key,
      document,
      primary,
      primaryVariables,
      resolve: (event, context) =>
        this.resolveEvent(event, primary, rest, operationContext, variables, context),
    };
  }

  private async resolveEvent(
    event: ExecutionResult,
    primary: FetchNode,
    rest: PlanNode | undefined,
    operationContext: OperationContext,
    variables: Record<string, unknown>,
    context: GatewayContext,
  ): Promise<ExecutionResult> {
    const eventSource: GraphQLDataSource = {
      process: async () => ({
        ...(event.data !== undefined ? { data: event.data as Record<string, unknown> } : {}),
        ...(event.errors ? { errors: event.errors } : {}),
      }),
    };
    const plan: QueryPlan = {
      kind: 'QueryPlan',
      node: {
        kind: 'Sequence',
        nodes: [
          { ...primary, serviceName: EVENT_SOURCE, operationKind: 'query' } as FetchNode,
          ...(rest ? [rest] : []),
        ],
      },
    };
    const requestContext = {
      request: { variables, query: '' },
      context,
      logger: this.logger,
      metrics: {},
      cache: undefined,
      overallCachePolicy: undefined,
    };
    const result = await executeQueryPlan(
      plan,
      { ...this.serviceMap, [EVENT_SOURCE]: eventSource },
      requestContext as never,
      operationContext,
      this.supergraphSchema,
      this.apiSchema,
    );
    return {
      ...(result.data !== undefined ? { data: result.data } : {}),
      ...(result.errors?.length ? { errors: result.errors as GraphQLError[] } : {}),
    };
  }
}
