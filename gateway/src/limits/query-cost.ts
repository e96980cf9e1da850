import { createRequire } from 'node:module';
import type { GraphQLSchema, DocumentNode } from 'graphql';
import type * as QueryComplexity from 'graphql-query-complexity';
import type { ComplexityEstimator } from 'graphql-query-complexity';

// The supergraph schema is built by @apollo/gateway, which loads graphql's CommonJS build; the
// ESM build of this library would bring graphql's ESM build, and graphql refuses to mix the two
// ("Cannot use GraphQLObjectType from another module or realm"). Load the CommonJS build.
const { getComplexity, simpleEstimator } = createRequire(import.meta.url)(
  'graphql-query-complexity',
) as typeof QueryComplexity;

/** Page size assumed for a list field whose `first` argument is not given (the subgraphs' default). */
export const DEFAULT_PAGE_SIZE = 20;

/**
 * Connection fields cost their children once per requested item: `products(first: 100)
 * { edges { node { reviews(first: 50) ... } } }` costs 100 x 50 x ..., which is what the
 * subgraphs will really do. Every other field costs 1 plus its children.
 */
const pagedListEstimator: ComplexityEstimator = ({ args, childComplexity, field }) => {
  if (!field.args.some((arg) => arg.name === 'first')) return undefined;
  const first = typeof args.first === 'number' && args.first > 0 ? args.first : DEFAULT_PAGE_SIZE;
  return 1 + first * childComplexity;
};

export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName?: string | null,
): number {
  return getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    ...(operationName ? { operationName } : {}),
    estimators: [pagedListEstimator, simpleEstimator({ defaultComplexity: 1 })],
  });
}
