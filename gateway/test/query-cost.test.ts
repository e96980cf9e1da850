import { createRequire } from 'node:module';
import type * as GraphQL from 'graphql';
import { describe, expect, it } from 'vitest';
import { Supergraph } from '@apollo/federation-internals';
import { composeSupergraph } from '../src/compose.ts';
import {
  DEFAULT_LIST_SIZES,
  DEFAULT_PAGE_SIZE,
  pageTypes,
  queryCost,
} from '../src/limits/query-cost.ts';
import { DEFAULT_SUBGRAPH_PORTS, SUBGRAPH_NAMES } from '../src/subgraphs.ts';

// The CommonJS graphql build, the one query-cost.ts's library and @apollo/gateway use.
const { buildSchema, getIntrospectionQuery, parse } = createRequire(import.meta.url)(
  'graphql',
) as typeof GraphQL;

const schema = buildSchema(`
  type Query {
    products(first: Int): ProductConnection!
    product(id: ID!): Product
    categories: [Category!]!
    tags: [String!]!
    search(first: Int): SearchResult!
    popular(first: Int): [Product!]!
  }
  type SearchResult { hits: [Hit!]! facets: Facets! totalCount: Int! }
  type Hit { product: Product! }
  type Facets { categories: [Category!]! }
  type Category { id: ID! children: [Category!]! products(first: Int): ProductConnection! }
  type ProductConnection { edges: [Edge!]! totalCount: Int! }
  type Edge { node: Product! }
  type Product { id: ID! name: String! reviews(first: Int): ReviewConnection! }
  type ReviewConnection { edges: [ReviewEdge!]! }
  type ReviewEdge { node: Review! }
  type Review { rating: Int! }
`);

const sizes = { 'Query.categories': 30, 'Category.children': 5 };
const cost = (query: string, variables?: Record<string, unknown>) =>
  queryCost(schema, parse(query), variables, undefined, sizes);

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

  it('multiplies a whole list (no `first`) of objects by its estimated size', () => {
    expect(cost('{ categories { id } }')).toBe(1 + 30 * 1);
    // A page inside a whole list: every category pays for its page of products.
    expect(cost('{ categories { products(first: 10) { edges { node { id } } } } }')).toBe(
      1 + 30 * (1 + 10 * 3),
    );
    expect(cost('{ categories { children { id } } }')).toBe(1 + 30 * (1 + 5 * 1));
  });

  it('counts an unlisted whole list like a default page, and scalar lists as one field', () => {
    expect(queryCost(schema, parse('{ categories { id } }'), {}, undefined, {})).toBe(
      1 + DEFAULT_PAGE_SIZE * 1,
    );
    expect(cost('{ tags }')).toBe(1);
  });

  it('counts the rest of a page (totalCount, facets) once, not once per item', () => {
    // Per hit: hits (1) + product (1) + id (1) = 3. Once: totalCount (1) and facets (1 +
    // categories, a whole list not listed in `sizes`, so a default page of ids).
    const facets = 1 + (1 + DEFAULT_PAGE_SIZE * 1);
    expect(
      cost(
        '{ search(first: 50) { totalCount hits { product { id } } facets { categories { id } } } }',
      ),
    ).toBe(1 + 50 * 3 + 1 + facets);
    // The same through fragments.
    expect(
      cost(`{ search(first: 50) { ...Page } }
        fragment Page on SearchResult { totalCount ... on SearchResult { hits { ...Hit } } facets { categories { id } } }
        fragment Hit on Hit { product { id } }`),
    ).toBe(1 + 50 * 3 + 1 + facets);
    expect(cost('{ products(first: 10) { totalCount edges { node { id } } } }')).toBe(
      1 + 10 * 3 + 1,
    );
  });

  it('counts every child of a paged field that returns a plain list once per item', () => {
    expect(cost('{ popular(first: 10) { id name } }')).toBe(1 + 10 * 2);
  });

  it('counts introspection lists as one item each (the gateway answers them from memory)', () => {
    const introspection = getIntrospectionQuery();
    expect(cost(introspection)).toBe(queryCost(schema, parse(introspection), {}, undefined, {}));
    expect(cost(introspection)).toBeLessThan(500);
  });

  it("counts a page's own items (edges) once: the page size multiplied them already", () => {
    expect(pageTypes(schema)).toEqual(
      new Set(['ProductConnection', 'ReviewConnection', 'SearchResult']),
    );
    expect(cost('{ products(first: 10) { edges { node { id } } } }')).toBe(1 + 10 * 3);
  });
});

describe('DEFAULT_LIST_SIZES', () => {
  const urls = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [
      name,
      `http://127.0.0.1:${DEFAULT_SUBGRAPH_PORTS[name]}/graphql`,
    ]),
  ) as Record<(typeof SUBGRAPH_NAMES)[number], string>;
  const api = Supergraph.build(composeSupergraph(urls)).apiSchema().toGraphQLJSSchema();

  it('has a decided size for every whole list of objects in the supergraph, and nothing else', () => {
    const pages = pageTypes(api);
    const wholeLists: string[] = [];
    for (const type of Object.values(api.getTypeMap())) {
      if (type.name.startsWith('__') || !('getFields' in type)) continue;
      for (const field of Object.values(type.getFields())) {
        if (!('args' in field)) continue; // an input object's field
        const text = String(field.type);
        const isObjectList =
          text.startsWith('[') && 'getFields' in (api.getType(text.replace(/[[\]!]/g, '')) ?? {});
        const paged = field.args.some((arg: { name: string }) => arg.name === 'first');
        if (isObjectList && !paged && !pages.has(type.name))
          wholeLists.push(`${type.name}.${field.name}`);
      }
    }
    expect(wholeLists.sort()).toEqual(Object.keys(DEFAULT_LIST_SIZES).sort());
  });
});
