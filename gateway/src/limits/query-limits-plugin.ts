import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  GraphQLError,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { queryCost } from './query-cost.ts';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  /** Items assumed per whole list (no `first`), by schema coordinate; see DEFAULT_LIST_SIZES. */
  listSizes: Readonly<Record<string, number>>;
}

/**
 * graphql-armor throws out of validation by default, which Apollo answers with a 500; reporting
 * through the validation context makes it a 400 beside the other validation errors.
 */
const reportAsValidationError = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) => context?.reportError(error),
  ],
};

/**
 * Depth and alias limits run as validation rules (cached with the parsed document); the cost
 * limit needs the variables (`first: $n`), so it runs per request once the operation is known.
 */
export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  return [
    maxDepthRule({
      n: limits.maxDepth,
      ignoreIntrospection: true,
      flattenFragments: true,
      ...reportAsValidationError,
    }) as unknown as ValidationRule,
    maxAliasesRule({
      n: limits.maxAliases,
      ...reportAsValidationError,
    }) as unknown as ValidationRule,
  ];
}

/**
 * Refuses an operation costlier than `limits.maxCost` with BAD_USER_INPUT / QUERY_TOO_COMPLEX
 * (HTTP requests through queryCostPlugin, queries over the socket directly).
 */
export function checkQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
  limits: QueryLimits,
): void {
  let cost: number;
  try {
    cost = queryCost(schema, document, variables, operationName, limits.listSizes);
  } catch {
    // Variables that do not fit their types: execution refuses them next with
    // BAD_USER_INPUT and the exact reason, so leave that answer to it.
    return;
  }
  if (cost > limits.maxCost) {
    throw new GraphQLError(
      `Query is too expensive: cost ${cost} exceeds the limit of ${limits.maxCost}; request fewer items`,
      {
        extensions: {
          code: 'BAD_USER_INPUT',
          reason: 'QUERY_TOO_COMPLEX',
          cost,
          maxCost: limits.maxCost,
          http: { status: 400 },
        },
      },
    );
  }
}

export function queryCostPlugin<C extends object>(limits: QueryLimits): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          checkQueryCost(schema, document, request.variables, operationName ?? undefined, limits);
        },
      };
    },
  };
}
