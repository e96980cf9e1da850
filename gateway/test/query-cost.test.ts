import { createRequire } from 'node:module';
import type * as GraphQL from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PAGE_SIZE, queryCost } from '../src/limits/query-cost.ts';

// The CommonJS graphql build, the one query-cost.ts's library and @apollo/gateway use.
const { buildSchema, parse } = createRequire(import.meta.url)('graphql') as typeof GraphQL;

const schema = buildSchema(`
  type Query { products(first: Int): ProductConnection!, product(id: ID!): Product }
  type ProductConnection { edges: [Edge!]! totalCount: Int! }
  type Edge { node: Product! }
  type Product { id: ID! name: String! reviews(first: Int): ReviewConnection! }
  type ReviewConnection { edges: [ReviewEdge!]! }
  type ReviewEdge { node: Review! }
  type Review { rating: Int! }
`);

const cost = (query: string, variables?: Record<string, unknown>) =>
  queryCost(schema, parse(query), variables);

describe('queryCost', () => {
  it('counts one per field without lists', () => {
    expect(cost('{ product(id: "1") { id name } }')).toBe(3);
  });

  it('multiplies a connection by its requested page size, from literals or variables', () => {
    // per item: edges (1) + node (1) + id (1) + name (1) = 4
    expect(cost('{ products(first: 10) { edges { node { id name } } } }')).toBe(1 + 10 * 4);
    expect(
      cost('query ($n: Int) { products(first: $n) { edges { node { id name } } } }', { n: 50 }),
    ).toBe(1 + 50 * 4);
    expect(cost('{ products { edges { node { id } } } }')).toBe(1 + DEFAULT_PAGE_SIZE * 3);
  });

  it('grows multiplicatively with nested connections', () => {
    const shallow = cost('{ products(first: 10) { edges { node { id } } } }');
    const nested = cost(
      '{ products(first: 10) { edges { node { id reviews(first: 10) { edges { node { rating } } } } } } }',
    );
    expect(nested).toBeGreaterThan(shallow * 10);
  });
});
