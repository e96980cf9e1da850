import { createHash } from 'node:crypto';
import type { FetchNode, PlanNode } from '@apollo/query-planner';
import type {
  DocumentNode,
  ExecutionResult,
  GraphQLError,
  ValidationRule,
  GraphQLSchema,
} from 'graphql';
import { getVariableValues, graphqlJs } from './graphql-cjs.ts';
import type { Logger } from '@shop/logging';
import type { GatewayContext } from '../context.ts';
import { executePlan } from '../executor/plan-executor.ts';
import { projectResponse, type ResponseShape } from '../executor/response-shape.ts';
import { subgraphSender, type SubgraphSenderOptions } from '../executor/subgraph-sender.ts';
import type { SupergraphRuntime } from '../executor/supergraph-runtime.ts';

const {
  GraphQLError: GraphQLErrorClass,
  getOperationAST,
  parse,
  print,
  specifiedRules,
  validate,
} = graphqlJs;

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

/** A validated query sent over the socket (for @defer's incremental delivery there). */
export interface PlannedQuery {
  kind: 'query';
  query: string;
  document: DocumentNode;
  operationName: string | undefined;
  /** As the client sent them: the executor passes them on and subgraphs coerce them. */
  variables: Record<string, unknown>;
}

function badRequest(message: string): GraphQLError {
  return new GraphQLErrorClass(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/**
 * Plans subscriptions with @apollo/gateway's query planner (a `Subscription` node: a `primary`
 * fetch to the owning subgraph and a `rest` plan) on the gateway's current supergraph runtime,
 * and resolves each event with the gateway's own executor: the event is the answer so far, the
 * rest plan's entity fetches are merged into it, and the client's selection is projected.
 */
export class SubscriptionPlanner {
  readonly schema: GraphQLSchema;

  constructor(
    private readonly runtime: SupergraphRuntime,
    private readonly sender: SubgraphSenderOptions,
    private readonly rules: ValidationRule[],
    private readonly logger: Logger,
  ) {
    this.schema = runtime.apiSchema;
  }

  /** Validates and plans; errors are the client's (BAD_USER_INPUT / GraphQL validation). */
  plan(
    query: string,
    operationName: string | null | undefined,
    rawVariables: Record<string, unknown> | null | undefined,
  ): PlannedSubscription | PlannedQuery | readonly GraphQLError[] {
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
    if (operation.operation === 'mutation')
      return [badRequest('Send mutations over HTTP; WebSocket is for queries and subscriptions')];
    const coerced = getVariableValues(
      this.schema,
      operation.variableDefinitions ?? [],
      rawVariables ?? {},
    );
    if (coerced.errors) return coerced.errors;
    if (operation.operation === 'query')
      return {
        kind: 'query',
        query,
        document,
        operationName: operationName ?? undefined,
        variables: rawVariables ?? {},
      };
    const variables = coerced.coerced;
    const printed = print(operation);
    const { plan, shape } = this.runtime.prepare(
      `subscription\0${createHash('sha256').update(query).digest('hex')}\0${operationName ?? ''}`,
      document,
      operationName ?? undefined,
    );
    if (plan.node?.kind !== 'Subscription') return [badRequest('Not a subscription')];
    const { primary, rest } = plan.node;
    const primaryVariables = Object.fromEntries(
      (primary.variableUsages ?? [])
        .filter((name) => name in variables)
        .map((name) => [name, variables[name]]),
    );
    const key = createHash('sha256')
      .update(printed)
      .update('\0')
      .update(JSON.stringify(variables))
      .digest('base64url');
    return {
      key,
      document,
      primary,
      primaryVariables,
      resolve: (event, context) => this.resolveEvent(event, rest, shape, variables, context),
    };
  }

  private async resolveEvent(
    event: ExecutionResult,
    rest: PlanNode | undefined,
    shape: ResponseShape,
    variables: Record<string, unknown>,
    context: GatewayContext,
  ): Promise<ExecutionResult> {
    const errors: GraphQLError[] = (event.errors ?? []).map(
      (error) =>
        new GraphQLErrorClass(error.message, { ...error, extensions: { ...error.extensions } }),
    );
    if (!event.data) return { errors };
    // Watchers of a shared stream get the same event: each merges into a copy of its own.
    const merged = structuredClone(event.data) as Record<string, unknown>;
    if (rest)
      await executePlan(rest, merged, {
        supergraph: this.runtime.supergraph,
        variables,
        defaults: shape.defaults,
        send: subgraphSender(this.sender, this.runtime.urls, context),
        errors,
      });
    const projected = projectResponse(shape, merged, {
      relations: this.runtime.api,
      variables,
    });
    // Completion errors alone go aside, as for queries (see PlanExecutingGateway).
    if (projected.errors.length && !errors.length)
      this.logger.debug({ errors: projected.errors.map((e) => e.message) }, 'event completed');
    return { data: projected.data, ...(errors.length ? { errors } : {}) };
  }
}
