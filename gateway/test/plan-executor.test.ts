import { beforeEach, describe, expect, it } from 'vitest';
import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { buildOperationContext, executeQueryPlan, LocalGraphQLDataSource } from '@apollo/gateway';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import { graphqlJs } from '../src/subscriptions/graphql-cjs.ts';
import {
  executePlan,
  IncrementalChannel,
  projectResponse,
  SupergraphRuntime,
  type SubsequentPayload,
} from '../src/executor/index.ts';
import { deliverDeferred } from '../src/executor/incremental.ts';
import type { DeferNode } from '@apollo/query-planner';
import type { SubgraphRequest } from '../src/executor/plan-executor.ts';

const { execute, parse, validate, GraphQLError } = graphqlJs;

/**
 * The executor against real subgraph schemas (built with @apollo/subgraph, executed by
 * graphql-js in process, answers passed through JSON as on the wire), each result compared with
 * what stock @apollo/gateway's executor makes of the same plan, and checked on its own terms.
 */
const LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@provides", "@requires"])';

const products = [
  { id: 'p1', name: 'Carbon rod', price: 120, weight: 300, brandId: 'b1' },
  { id: 'p2', name: 'Spinning reel', price: 80, weight: 250, brandId: 'b1' },
  { id: 'p3', name: 'Lure box', price: 15, weight: 100, brandId: null },
];
const reviews = [
  { id: 'r1', body: 'Stiff and light', rating: 5, productId: 'p1', authorId: 'u1' },
  { id: 'r2', body: 'Snapped in a week', rating: 1, productId: 'p1', authorId: 'u2' },
  { id: 'r3', body: 'Smooth drag', rating: 4, productId: 'p2', authorId: 'u1' },
  { id: 'r4', body: 'Ghost author', rating: 3, productId: 'p3', authorId: 'u404' },
];
const users = [
  { id: 'u1', name: 'Ada' },
  { id: 'u2', name: 'Bo' },
];
const guides = [
  { __typename: 'RiverGuide', id: 'g1', name: 'Ola', river: 'Tana' },
  { __typename: 'SeaGuide', id: 'g2', name: 'Mia', boat: 'Skarv' },
];
const media = [
  { __typename: 'Video', id: 'v1', title: 'Casting basics', seconds: 90 },
  { __typename: 'Photo', id: 'f1', title: 'Big pike', pixels: 4000 },
];

const byId = <T extends { id: string }>(list: T[], id: unknown) => list.find((x) => x.id === id);

const subgraphs: Record<string, GraphQLSchema> = {
  products: buildSubgraphSchema({
    typeDefs: parse(`${LINK}
      type Query {
        products: [Product!]!
        product(id: ID!): Product
        searchable: [Searchable!]!
        media: [Media!]!
      }
      type Mutation { renameProduct(id: ID!, name: String!): Product! }
      type Product @key(fields: "id") { id: ID! name: String! @shareable price: Int! weight: Int! brand: Brand }
      type Brand @key(fields: "id") { id: ID! name: String! }
      union Searchable = Product | Brand
      interface Media { id: ID! title: String! }
      type Video implements Media @key(fields: "id") { id: ID! title: String! seconds: Int! }
      type Photo implements Media { id: ID! title: String! pixels: Int! }
    `),
    resolvers: {
      Query: {
        products: () => products,
        product: (_: unknown, { id }: { id: string }) => byId(products, id) ?? null,
        searchable: () => [
          { ...products[0], __typename: 'Product' },
          { __typename: 'Brand', id: 'b1' },
        ],
        media: () => media,
      },
      Mutation: {
        renameProduct: (_: unknown, { id, name }: { id: string; name: string }) => ({
          ...byId(products, id)!,
          name,
        }),
      },
      Product: {
        __resolveReference: (ref: { id: string }) => byId(products, ref.id) ?? null,
        brand: (p: { brandId: string | null }) => (p.brandId ? { id: p.brandId } : null),
      },
      Brand: { name: () => 'Deep Water', __resolveReference: (ref: { id: string }) => ref },
      Searchable: { __resolveType: (x: { __typename: string }) => x.__typename },
      Media: { __resolveType: (x: { __typename: string }) => x.__typename },
      Video: { __resolveReference: (ref: { id: string }) => media.find((m) => m.id === ref.id) },
    } as never,
  }),
  reviews: buildSubgraphSchema({
    typeDefs: parse(`${LINK}
      type Query { topReviews(first: Int = 10): [Review!]! }
      type Review { id: ID! body: String! rating: Int! product: Product! @provides(fields: "name") author: User }
      type Product @key(fields: "id") { id: ID! name: String! @external reviews: [Review!]! reviewCount: Int! }
      type User @key(fields: "id") { id: ID! reviews: [Review!]! }
      type Video @key(fields: "id") { id: ID! likes: Int! }
    `),
    resolvers: {
      Query: { topReviews: (_: unknown, { first }: { first: number }) => reviews.slice(0, first) },
      Review: {
        product: (r: { productId: string }) => ({
          id: r.productId,
          name: byId(products, r.productId)!.name,
        }),
        author: (r: { authorId: string }) => ({ id: r.authorId }),
      },
      Product: {
        __resolveReference: (ref: { id: string }) => ref,
        reviews: (p: { id: string }) => reviews.filter((r) => r.productId === p.id),
        reviewCount: (p: { id: string }) => reviews.filter((r) => r.productId === p.id).length,
      },
      User: { reviews: (u: { id: string }) => reviews.filter((r) => r.authorId === u.id) },
      Video: { __resolveReference: (ref: { id: string }) => ref, likes: () => 12 },
    } as never,
  }),
  shipping: buildSubgraphSchema({
    typeDefs: parse(`${LINK}
      type Product @key(fields: "id") {
        id: ID!
        weight: Int! @external
        price: Int! @external
        shippingCost: Int! @requires(fields: "weight price")
        delivery: String
        warehouse: Warehouse
      }
      type Warehouse { code: String! }
    `),
    resolvers: {
      Product: {
        __resolveReference: (ref: object) => ref,
        shippingCost: (p: { weight: number; price: number }) =>
          p.price > 100 ? 0 : Math.ceil(p.weight / 50),
        delivery: (p: { id: string }) => {
          if (p.id === 'p2')
            throw new GraphQLError('Courier unreachable', { extensions: { code: 'UNAVAILABLE' } });
          return 'tomorrow';
        },
        // p3's warehouse has no code: a non-null violation inside the subgraph.
        warehouse: (p: { id: string }) => ({ code: p.id === 'p3' ? null : `W-${p.id}` }),
      },
    } as never,
  }),
  users: buildSubgraphSchema({
    typeDefs: parse(`${LINK}
      type Query { me: User }
      type User @key(fields: "id") { id: ID! name: String! }
    `),
    resolvers: {
      Query: { me: () => users[0] },
      User: { __resolveReference: (ref: { id: string }) => byId(users, ref.id) ?? null },
    } as never,
  }),
  // Guides are an interface here and an @interfaceObject in `nicknames`, which knows nothing
  // of their implementations.
  guides: buildSubgraphSchema({
    typeDefs: parse(`${LINK}
      type Query { guides: [Guide!]! }
      interface Guide @key(fields: "id") { id: ID! name: String }
      type RiverGuide implements Guide @key(fields: "id") { id: ID! name: String river: String }
      type SeaGuide implements Guide @key(fields: "id") { id: ID! name: String boat: String }
    `),
    resolvers: {
      Query: { guides: () => guides },
      Guide: {
        __resolveType: (g: { __typename: string }) => g.__typename,
        __resolveReference: (ref: { id: string }) => byId(guides, ref.id),
      },
      RiverGuide: { __resolveReference: (ref: { id: string }) => byId(guides, ref.id) },
      SeaGuide: { __resolveReference: (ref: { id: string }) => byId(guides, ref.id) },
    } as never,
  }),
  nicknames: buildSubgraphSchema({
    typeDefs: parse(`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])
      type Guide @key(fields: "id") @interfaceObject { id: ID! nickname: String }
    `),
    resolvers: {
      Guide: {
        __resolveReference: (ref: { id: string }) => ({ ...ref, nickname: `${ref.id}-nick` }),
      },
    } as never,
  }),
};

const composed = composeServices(
  Object.entries(subgraphs).map(([name]) => ({
    name,
    url: `http://${name}.invalid/graphql`,
    typeDefs: parse(sdlOf(name)),
  })),
);
if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
const runtime = new SupergraphRuntime(composed.supergraphSdl);
/** The schemas @apollo/gateway's executor takes, built the way it builds them. */
const forApollo = Supergraph.build(composed.supergraphSdl);
const apolloSchemas = {
  supergraph: forApollo.schema.toGraphQLJSSchema(),
  api: forApollo.apiSchema(),
};

function sdlOf(name: string): string {
  const result = execute({ schema: subgraphs[name]!, document: parse('{ _service { sdl } }') }) as {
    data: { _service: { sdl: string } };
  };
  return result.data._service.sdl;
}

let calls: { service: string; request: SubgraphRequest }[] = [];
beforeEach(() => {
  calls = [];
});

/** A subgraph call as it travels: the request and answer through JSON. */
async function send(service: string, request: SubgraphRequest) {
  calls.push({ service, request });
  if (service === 'down') throw new Error('connect ECONNREFUSED');
  const result = await execute({
    schema: subgraphs[service]!,
    document: parse(request.query),
    variableValues: JSON.parse(JSON.stringify(request.variables)) as Record<string, unknown>,
  });
  return JSON.parse(JSON.stringify(result)) as { data?: Record<string, unknown> | null };
}

interface Outcome {
  data: unknown;
  errors: {
    message: string;
    path?: readonly (string | number)[];
    code?: unknown;
    service?: unknown;
  }[];
  valueCompletion: number;
}

function summarize(
  errors:
    | readonly {
        message: string;
        path?: readonly (string | number)[] | undefined;
        extensions?: Record<string, unknown>;
      }[]
    | undefined,
) {
  return (errors ?? []).map((e) => ({
    message: e.message,
    ...(e.path ? { path: [...e.path] } : {}),
    code: e.extensions?.code,
    service: e.extensions?.serviceName,
  }));
}

const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

async function ours(
  query: string,
  variables: Record<string, unknown> = {},
  sender: typeof send = send,
): Promise<Outcome> {
  const document = parse(query);
  const invalid = validate(runtime.apiSchema, document);
  if (invalid.length) throw new Error(invalid.map((e) => e.message).join('\n'));
  const prepared = runtime.prepare(query, document, undefined);
  const errors: InstanceType<typeof GraphQLError>[] = [];
  const merged: Record<string, unknown> = {};
  const node = prepared.plan.node;
  if (node && node.kind !== 'Subscription')
    await executePlan(node, merged, {
      supergraph: runtime.supergraph,
      variables,
      defaults: prepared.shape.defaults,
      send: sender,
      errors,
    });
  const projected = projectResponse(prepared.shape, merged, {
    relations: runtime.api,
    variables,
  });
  return {
    data: plain(projected.data),
    errors: summarize(errors),
    valueCompletion: errors.length ? 0 : projected.errors.length,
  };
}

async function apollos(query: string, variables: Record<string, unknown> = {}): Promise<Outcome> {
  const document: DocumentNode = parse(query);
  const prepared = runtime.prepare(query, document, undefined);
  const serviceMap = Object.fromEntries(
    Object.entries(subgraphs).map(([name, schema]) => [name, new LocalGraphQLDataSource(schema)]),
  );
  const result = await executeQueryPlan(
    prepared.plan,
    serviceMap,
    { request: { query, variables }, context: {}, metrics: {}, logger: console } as never,
    buildOperationContext({ schema: runtime.apiSchema, operationDocument: document }),
    apolloSchemas.supergraph,
    apolloSchemas.api,
  );
  return {
    data: plain(result.data),
    errors: summarize(result.errors as never),
    valueCompletion: (result.extensions?.valueCompletion as unknown[] | undefined)?.length ?? 0,
  };
}

/** Runs both executors; they must agree, and ours is returned for its own assertions. */
async function both(query: string, variables: Record<string, unknown> = {}): Promise<Outcome> {
  const reference = await apollos(query, variables);
  const result = await ours(query, variables);
  expect(result).toEqual(reference);
  return result;
}

const kinds = (query: string) => {
  const kindsSeen = new Set<string>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const kind = (node as { kind?: unknown }).kind;
    if (typeof kind === 'string') kindsSeen.add(kind);
    for (const value of Object.values(node)) if (typeof value === 'object') walk(value);
  };
  walk(runtime.prepare(query, parse(query), undefined).plan.node);
  return kindsSeen;
};

describe('plan executor', () => {
  it('joins entities across three subgraphs through Sequence, Parallel and Flatten', async () => {
    const query = `{ products { id name shippingCost brand { name } reviews { body author { id reviews { rating } } } } }`;
    expect([...kinds(query)]).toEqual(
      expect.arrayContaining(['Sequence', 'Parallel', 'Flatten', 'Fetch']),
    );
    const result = await both(query);
    expect(result.errors).toEqual([]);
    const rod = (result.data as { products: Record<string, unknown>[] }).products[0];
    expect(rod).toEqual({
      id: 'p1',
      name: 'Carbon rod',
      shippingCost: 0,
      brand: { name: 'Deep Water' },
      reviews: [
        { body: 'Stiff and light', author: { id: 'u1', reviews: [{ rating: 5 }, { rating: 4 }] } },
        { body: 'Snapped in a week', author: { id: 'u2', reviews: [{ rating: 1 }] } },
      ],
    });
    // Keys are in the client's selection order, and nothing fetched only for the plan shows.
    expect(Object.keys(rod!)).toEqual(['id', 'name', 'shippingCost', 'brand', 'reviews']);
  });

  it('sends equal representations once and merges the answer into every place that holds them', async () => {
    const result = await both(`{ topReviews { author { id reviews { body } } } }`);
    expect(result.errors).toEqual([]);
    calls = [];
    await ours(`{ topReviews { rating product { name price } } }`);
    const entityCall = calls.find((c) => c.service === 'products');
    // Four reviews of three products: three representations, not four.
    expect((entityCall!.request.variables.representations as unknown[]).length).toBe(3);
    const again = await ours(`{ topReviews { rating product { name price } } }`);
    expect(again.data).toEqual({
      topReviews: [
        { rating: 5, product: { name: 'Carbon rod', price: 120 } },
        { rating: 1, product: { name: 'Carbon rod', price: 120 } },
        { rating: 4, product: { name: 'Spinning reel', price: 80 } },
        { rating: 3, product: { name: 'Lure box', price: 15 } },
      ],
    });
  });

  it('fetches @requires inputs first and sends them in the representations', async () => {
    const result = await both(`{ products { name shippingCost } }`);
    expect(result.data).toEqual({
      products: [
        { name: 'Carbon rod', shippingCost: 0 },
        { name: 'Spinning reel', shippingCost: 5 },
        { name: 'Lure box', shippingCost: 2 },
      ],
    });
    const shipping = calls.find((c) => c.service === 'shipping');
    expect(shipping!.request.variables.representations).toContainEqual({
      __typename: 'Product',
      id: 'p2',
      weight: 250,
      price: 80,
    });
  });

  it('uses what @provides gives and asks no other subgraph', async () => {
    const result = await both(`{ topReviews(first: 2) { product { name } } }`);
    expect(result.data).toEqual({
      topReviews: [{ product: { name: 'Carbon rod' } }, { product: { name: 'Carbon rod' } }],
    });
    expect(new Set(calls.map((c) => c.service))).toEqual(new Set(['reviews']));
  });

  it('completes interfaces and unions by __typename, with entity fetches under a type condition', async () => {
    const media = await both(
      `{ media { __typename id title ... on Video { seconds likes } ... on Photo { pixels } } }`,
    );
    expect(media.data).toEqual({
      media: [
        { __typename: 'Video', id: 'v1', title: 'Casting basics', seconds: 90, likes: 12 },
        { __typename: 'Photo', id: 'f1', title: 'Big pike', pixels: 4000 },
      ],
    });
    const searchable = await both(
      `{ searchable { __typename ...on Product { name reviewCount } ... on Brand { name } } }`,
    );
    expect(searchable.data).toEqual({
      searchable: [
        { __typename: 'Product', name: 'Carbon rod', reviewCount: 2 },
        { __typename: 'Brand', name: 'Deep Water' },
      ],
    });
  });

  it("places a subgraph's error in the middle of a plan at its path and keeps the rest", async () => {
    const result = await both(`{ products { id delivery } }`);
    expect(result.data).toEqual({
      products: [
        { id: 'p1', delivery: 'tomorrow' },
        { id: 'p2', delivery: null },
        { id: 'p3', delivery: 'tomorrow' },
      ],
    });
    expect(result.errors).toEqual([
      {
        message: 'Courier unreachable',
        path: ['products', 1, 'delivery'],
        code: 'UNAVAILABLE',
        service: 'shipping',
      },
    ]);
  });

  it('nulls a non-null violation up to the nearest nullable position', async () => {
    const result = await both(`{ products { id warehouse { code } } }`);
    expect((result.data as { products: unknown[] }).products[2]).toEqual({
      id: 'p3',
      warehouse: null,
    });
    expect(result.errors[0]).toMatchObject({
      path: ['products', 2, 'warehouse', 'code'],
      service: 'shipping',
    });
  });

  it('reports a value of the wrong type aside, as valueCompletion, when nothing else failed', async () => {
    // A subgraph that breaks its own schema (a string for an Int!): graphql-js subgraphs never
    // do, so the answer is altered on its way.
    const result = await ours(
      `{ product(id: "p3") { id price } }`,
      {},
      async (service, request) => {
        const answer = await send(service, request);
        (answer.data as { product: { price: unknown } }).product.price = 'fifteen';
        return answer;
      },
    );
    expect(result.data).toEqual({ product: null });
    expect(result.errors).toEqual([]);
    expect(result.valueCompletion).toBe(1);
  });

  it('runs @include and @skip branches through Condition nodes and the projection', async () => {
    const query = `query ($withReviews: Boolean!, $noPrice: Boolean = true) {
      products { name price @skip(if: $noPrice) reviews @include(if: $withReviews) { rating } }
    }`;
    expect(kinds(query).has('Condition')).toBe(true);
    const withReviews = await both(query, { withReviews: true });
    expect((withReviews.data as { products: unknown[] }).products[1]).toEqual({
      name: 'Spinning reel',
      reviews: [{ rating: 4 }],
    });
    const without = await both(query, { withReviews: false, noPrice: false });
    expect((without.data as { products: unknown[] }).products[1]).toEqual({
      name: 'Spinning reel',
      price: 80,
    });
    expect(calls.filter((c) => c.service === 'reviews')).toHaveLength(1);
  });

  it('merges a field selected twice with different selections, aliases and named fragments', async () => {
    const result = await both(`
      query { products { label: name reviews { body } ...More } }
      fragment More on Product { reviews { rating author { id } } constructor: id }
    `);
    expect((result.data as { products: Record<string, unknown>[] }).products[0]).toEqual({
      label: 'Carbon rod',
      reviews: [
        { body: 'Stiff and light', rating: 5, author: { id: 'u1' } },
        { body: 'Snapped in a week', rating: 1, author: { id: 'u2' } },
      ],
      constructor: 'p1',
    });
  });

  it("keeps an @interfaceObject's answers under each object's own type", async () => {
    const result = await both(
      `{ guides { id ... on RiverGuide { river nickname } ... on SeaGuide { __typename boat } } }`,
    );
    expect(result.data).toEqual({
      guides: [
        { id: 'g1', river: 'Tana', nickname: 'g1-nick' },
        { id: 'g2', __typename: 'SeaGuide', boat: 'Skarv' },
      ],
    });
    // The representation named the interface, as the subgraph knows it.
    const call = calls.find((c) => c.service === 'nicknames');
    expect(call!.request.variables.representations).toEqual([{ __typename: 'Guide', id: 'g1' }]);
  });

  it('keeps response names such as __proto__ and constructor as plain data', async () => {
    const result = await both(`{
      product(id: "p1") { __proto__: name constructor: id reviews { __proto__: body toString: rating } }
    }`);
    const text = JSON.stringify(result.data);
    expect(text).toBe(
      '{"product":{"__proto__":"Carbon rod","constructor":"p1","reviews":[{"__proto__":"Stiff and light","toString":5},{"__proto__":"Snapped in a week","toString":1}]}}',
    );
    // Nothing reached Object.prototype on the way.
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('name');
    expect(({} as Record<string, unknown>).body).toBeUndefined();
  });

  it('answers __typename and introspection at the gateway', async () => {
    const result = await both(`{ __typename __type(name: "Brand") { name fields { name } } }`);
    expect(result.data).toEqual({
      __typename: 'Query',
      __type: { name: 'Brand', fields: [{ name: 'id' }, { name: 'name' }] },
    });
    expect(calls).toEqual([]);
  });

  it('runs a mutation and the entity fetches after it', async () => {
    const result = await both(
      `mutation { renameProduct(id: "p2", name: "Reel II") { name reviewCount } }`,
    );
    expect(result.data).toEqual({ renameProduct: { name: 'Reel II', reviewCount: 1 } });
  });

  it('leaves out entities a subgraph does not know and an unreachable subgraph fails only its part', async () => {
    const ghost = await both(`{ topReviews { author { id } } }`);
    expect((ghost.data as { topReviews: unknown[] }).topReviews[3]).toEqual({
      author: { id: 'u404' },
    });
    const errors: InstanceType<typeof GraphQLError>[] = [];
    const merged: Record<string, unknown> = {};
    const query = '{ products { name reviewCount } }';
    const prepared = runtime.prepare(query, parse(query), undefined);
    await executePlan(prepared.plan.node as never, merged, {
      supergraph: runtime.supergraph,
      variables: {},
      defaults: new Map(),
      send: (service, request) => send(service === 'reviews' ? 'down' : service, request),
      errors,
    });
    expect(errors.map((e) => [e.message, e.extensions.serviceName])).toEqual([
      ['connect ECONNREFUSED', 'reviews'],
    ]);
    const projected = projectResponse(prepared.shape, merged, {
      relations: runtime.api,
      variables: {},
    });
    // reviewCount is non-null: each product is nulled and the non-null list with it.
    expect(projected.data).toBeNull();
  });
});

/** Incremental execution as the gateway runs it: the first answer, then each payload. */
async function incremental(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const invalid = validate(runtime.apiSchema, document);
  if (invalid.length) throw new Error(invalid.map((e) => e.message).join('\n'));
  const prepared = runtime.prepare(query, document, undefined);
  const merged: Record<string, unknown> = {};
  const defers: DeferNode[] = [];
  const errors: InstanceType<typeof GraphQLError>[] = [];
  await executePlan(prepared.plan.node as never, merged, {
    supergraph: runtime.supergraph,
    variables,
    defaults: prepared.shape.defaults,
    send,
    errors,
    deferred: defers,
  });
  const first = projectResponse(prepared.shape, merged, {
    relations: runtime.api,
    variables,
    incremental: defers.length > 0,
  });
  const channel = new IncrementalChannel();
  void deliverDeferred(
    defers,
    { runtime, prepared, variables, send, channel, root: merged, formatError: (e) => e.toJSON() },
    (error) => {
      throw error;
    },
  );
  const rest: SubsequentPayload[] = [];
  if (defers.length) for await (const payload of channel) rest.push(plain(payload) as never);
  return { first: plain(first.data), rest };
}

describe('incremental delivery (@defer)', () => {
  it('sends deferred fields of list items at each item path, after the first answer', async () => {
    const { first, rest } = await incremental(
      `{ products { id ... @defer(label: "more") { shippingCost reviewCount } } }`,
    );
    expect(first).toEqual({ products: [{ id: 'p1' }, { id: 'p2' }, { id: 'p3' }] });
    const items = rest.flatMap((p) => p.incremental ?? []);
    expect(items).toEqual([
      { data: { shippingCost: 0, reviewCount: 2 }, path: ['products', 0], label: 'more' },
      { data: { shippingCost: 5, reviewCount: 1 }, path: ['products', 1], label: 'more' },
      { data: { shippingCost: 2, reviewCount: 1 }, path: ['products', 2], label: 'more' },
    ]);
    expect(rest.at(-1)).toEqual({ hasNext: false });
  });

  it('sends a nested deferred part after the part that holds it', async () => {
    const { first, rest } = await incremental(`{
      product(id: "p1") {
        name
        ... @defer(label: "outer") {
          reviews { body ... @defer(label: "inner") { author { id reviews { rating } } } }
        }
      }
    }`);
    expect(first).toEqual({ product: { name: 'Carbon rod' } });
    const labels = rest.flatMap((p) => (p.incremental ?? []).map((i) => i.label));
    expect(labels).toEqual(['outer', 'inner', 'inner']);
    const outer = rest.flatMap((p) => p.incremental ?? []).find((i) => i.label === 'outer');
    expect(outer).toEqual({
      label: 'outer',
      path: ['product'],
      data: { reviews: [{ body: 'Stiff and light' }, { body: 'Snapped in a week' }] },
    });
    const inner = rest.flatMap((p) => p.incremental ?? []).filter((i) => i.label === 'inner');
    expect(inner.map((i) => i.path)).toEqual([
      ['product', 'reviews', 0],
      ['product', 'reviews', 1],
    ]);
    expect(inner[1]!.data).toEqual({ author: { id: 'u2', reviews: [{ rating: 1 }] } });
  });

  it('keeps a fragment whose @defer(if:) is false in the first answer', async () => {
    const query = `query ($later: Boolean!) { product(id: "p2") { name ... @defer(if: $later) { reviewCount } } }`;
    const now = await incremental(query, { later: false });
    expect(now.first).toEqual({ product: { name: 'Spinning reel', reviewCount: 1 } });
    expect(now.rest).toEqual([]);
    const later = await incremental(query, { later: true });
    expect(later.first).toEqual({ product: { name: 'Spinning reel' } });
    expect(later.rest.flatMap((p) => p.incremental ?? [])).toEqual([
      { data: { reviewCount: 1 }, path: ['product'] },
    ]);
  });

  it('reports a failing deferred fetch in its own payload, the first answer whole', async () => {
    const { first, rest } = await incremental(`{ products { id ... @defer { delivery } } }`);
    expect(first).toEqual({ products: [{ id: 'p1' }, { id: 'p2' }, { id: 'p3' }] });
    const items = rest.flatMap((p) => p.incremental ?? []);
    expect(items.map((i) => i.data)).toEqual([
      { delivery: 'tomorrow' },
      { delivery: null },
      { delivery: 'tomorrow' },
    ]);
    expect(items.flatMap((i) => i.errors ?? [])).toMatchObject([
      { message: 'Courier unreachable', path: ['products', 1, 'delivery'] },
    ]);
  });
});
