import { createHash } from 'node:crypto';
import { getIntrospectionQuery } from 'graphql';
import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCartPrisma } from '@shop/prisma/cart';
import { graphql, startSupergraph, testEnv, type RunningSupergraph } from '@shop/testing';

const env = testEnv(inject('stack'));
let supergraph: RunningSupergraph;
let second: RunningSupergraph;

beforeAll(async () => {
  [supergraph, second] = await Promise.all([startSupergraph(env), startSupergraph(env)]);
});
afterAll(async () => {
  await Promise.all([supergraph?.close(), second?.close()]);
});

/** Loosely typed response body: these tests inspect protocol-level shapes. */
const json = async (res: Response | Promise<Response>): Promise<any> => (await res).json();

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('query limits', () => {
  it('refuses queries deeper than the limit', async () => {
    const deep = `{ categories { ${'parent { '.repeat(14)}id${' }'.repeat(14)} } }`;
    const res = await graphql(supergraph.gatewayUrl, deep);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/depth/i);
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: categories { id }`).join(' ');
    const res = await graphql(supergraph.gatewayUrl, `{ ${aliases} }`);
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toMatch(/alias/i);
  });

  it('refuses queries whose estimated cost is too high, counting page sizes from variables', async () => {
    const query = `query ($n: Int) { products(first: $n) { edges { node { id reviews(first: 100) { edges { node { rating author { name } } } } } } } }`;
    const res = await graphql(supergraph.gatewayUrl, query, { n: 100 });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'QUERY_TOO_COMPLEX',
    });
    const cheap = await graphql(supergraph.gatewayUrl, query, { n: 1 });
    expect(cheap.errors).toBeUndefined();
  });

  it('counts lists without `first` (categories, sellers) by their size, not as one item', async () => {
    // Each of these was estimated at ~8,500 when a whole list counted as one item, while the
    // subgraphs really do it once per category or seller.
    const page = `products(first: 100) { edges { node { id name
      reviews(first: 20) { edges { node { rating text } } } } } }`;
    for (const query of [`{ categories { ${page} } }`, `{ sellers { ${page} } }`]) {
      const res = await graphql(supergraph.gatewayUrl, query);
      expect(res.status, query).toBe(400);
      expect(res.errors?.[0]?.extensions, query).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'QUERY_TOO_COMPLEX',
      });
    }
  });

  it('still accepts the storefront queries: category tree and menu, product list, product page', async () => {
    const list = await graphql<any>(
      supergraph.gatewayUrl,
      `
        {
          products(first: 20) {
            totalCount
            edges {
              cursor
              node {
                id
                name
                price {
                  amount
                  currency
                }
                category {
                  id
                  name
                }
                seller {
                  id
                  name
                }
                rating
                stock
                inStock
                images
              }
            }
            pageInfo {
              hasNextPage
              endCursor
            }
          }
        }
      `,
    );
    expect(list.errors).toBeUndefined();
    const productId =
      list.data.products.edges[0]?.node.id ?? 'c0ffee00-0000-4000-8000-000000000001';
    const storefront: [string, Record<string, unknown>][] = [
      ['{ categories { id name parent { id } } }', {}],
      ['{ rootCategories { id name children { id name } } }', {}],
      [
        `query ($id: ID!) { product(id: $id) { id name description price { amount currency }
          images attributes { name value } category { id name path { id name } }
          seller { id name } rating stock
          reviews(first: 10) { totalCount edges { node { id rating text createdAt author { name } } } } } }`,
        { id: productId },
      ],
    ];
    for (const [query, variables] of storefront) {
      const res = await graphql(supergraph.gatewayUrl, query, variables);
      expect(res.errors, query).toBeUndefined();
    }
  });

  it('still answers the standard introspection query (Sandbox needs it)', async () => {
    const res = await graphql<{ __schema: { queryType: { name: string } } }>(
      supergraph.gatewayUrl,
      getIntrospectionQuery(),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.__schema.queryType.name).toBe('Query');
  });
});

describe('automatic persisted queries', () => {
  it('registers a query once and serves its hash from any gateway instance (shared Redis)', async () => {
    const query = `{ categories { id name } } # apq ${Date.now()}`;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };

    const miss = await json(post(supergraph.gatewayUrl, { extensions }));
    expect(miss.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    const register = await json(post(supergraph.gatewayUrl, { query, extensions }));
    expect(register.errors).toBeUndefined();
    expect(Array.isArray(register.data.categories)).toBe(true);

    const hit = await json(post(second.gatewayUrl, { extensions }));
    expect(hit.errors).toBeUndefined();
    expect(hit.data).toEqual(register.data);

    const viaGet = await fetch(
      `${second.gatewayUrl}?extensions=${encodeURIComponent(JSON.stringify(extensions))}`,
      {
        headers: { 'apollo-require-preflight': 'true' },
      },
    );
    expect((await json(viaGet)).data).toEqual(register.data);
  });

  it('refuses a hash that does not match the query', async () => {
    const res = await (
      await post(supergraph.gatewayUrl, {
        query: '{ categories { id } }',
        extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } },
      })
    ).json();
    expect(res.errors[0].message).toMatch(/sha does not match/i);
    expect(res.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('per-client rate limit', () => {
  it('answers 429 RATE_LIMITED with Retry-After once a client used its allowance, per user when signed in', async () => {
    const limited = await startSupergraph(env, { gateway: { RATE_LIMIT_PER_MINUTE: '5' } });
    try {
      const query = '{ categories { id } }';
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await post(limited.gatewayUrl, { query })).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
      const refused = await post(limited.gatewayUrl, { query });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = await json(refused);
      expect(body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
      expect(body.errors[0].extensions.retryAfter).toBeGreaterThan(0);

      // A signed-in user from the same address has an allowance of their own.
      const auth = await limited.authAs({
        userId: '0c0c0c0c-0000-4000-8000-00000000c0c0',
        role: 'CUSTOMER',
      });
      expect((await post(limited.gatewayUrl, { query }, auth)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('subgraph request sharing', () => {
  const catalogGraphqlRequests = async () => {
    const text = await (
      await fetch(supergraph.subgraphUrls.catalog.replace(/graphql$/, 'metrics'))
    ).text();
    return [...text.matchAll(/^http_requests_total\{[^}]*route="\/graphql"[^}]*\} (\d+)/gm)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
  };

  it('lets identical concurrent queries share one subgraph call', async () => {
    const before = await catalogGraphqlRequests();
    const query = `{ products(first: 5) { totalCount edges { node { id name } } } } # share ${Date.now()}`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => graphql(supergraph.gatewayUrl, query)),
    );
    const calls = (await catalogGraphqlRequests()) - before;
    for (const answer of answers) expect(answer.data).toEqual(answers[0]!.data);
    expect(calls).toBeGreaterThanOrEqual(1);
    expect(calls).toBeLessThan(20);
  });

  it('never shares between different callers', async () => {
    const carts = createCartPrisma(env.databaseUrl('cart'));
    const users = [
      { userId: '0d0d0d0d-0000-4000-8000-00000000d0d1', quantity: 3 },
      { userId: '0d0d0d0d-0000-4000-8000-00000000d0d2', quantity: 7 },
    ];
    try {
      for (const { userId, quantity } of users) {
        await carts.cartItem.deleteMany({ where: { userId } });
        await carts.cartItem.create({
          data: { userId, productId: 'c0ffee00-0000-4000-8000-0000000000d0', quantity },
        });
      }
      const answers = await Promise.all(
        users.flatMap(({ userId, quantity }) =>
          Array.from({ length: 5 }, async () => {
            const auth = await supergraph.authAs({ userId, role: 'CUSTOMER' });
            const res = await graphql<{ cart: { itemCount: number } }>(
              supergraph.gatewayUrl,
              '{ cart { itemCount } }',
              {},
              auth,
            );
            return { expected: quantity, res };
          }),
        ),
      );
      for (const { expected, res } of answers) expect(res.data?.cart.itemCount).toBe(expected);
    } finally {
      await carts.$disconnect();
    }
  });
});

describe('variables', () => {
  it('answers variables of the wrong type with BAD_USER_INPUT', async () => {
    const query = 'query ($n: Int) { products(first: $n) { totalCount } }';
    for (const n of [1.5, 2 ** 31, '2']) {
      const res = await graphql(supergraph.gatewayUrl, query, { n });
      expect(res.errors?.[0]?.extensions?.code, String(n)).toBe('BAD_USER_INPUT');
    }
  });
});

describe('GraphQL over HTTP', () => {
  it('negotiates application/graphql-response+json and answers request errors with 4xx', async () => {
    const ok = await post(
      supergraph.gatewayUrl,
      { query: '{ categories { id } }' },
      { accept: 'application/graphql-response+json' },
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    const invalid = await post(
      supergraph.gatewayUrl,
      { query: '{ nope }' },
      { accept: 'application/graphql-response+json' },
    );
    expect(invalid.status).toBe(400);
    const parse = await post(
      supergraph.gatewayUrl,
      { query: '{ categories { ' },
      { accept: 'application/graphql-response+json' },
    );
    expect(parse.status).toBe(400);
    expect((await json(parse)).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('answers an operationName that names no operation with 400 BAD_USER_INPUT, not 500', async () => {
    const cases = [
      { query: 'query Menu { categories { id } }', operationName: 'NoSuchOperation' },
      { query: '{ categories { id } }', operationName: 'NoSuchOperation' },
      { query: 'query A { categories { id } } query B { sellers { id } }' },
    ];
    for (const body of cases) {
      for (const [accept, status] of [
        ['application/json', 200],
        ['application/graphql-response+json', 400],
      ] as const) {
        const res = await post(supergraph.gatewayUrl, body, { accept });
        expect(res.status, JSON.stringify(body)).toBe(status);
        const answer = await json(res);
        expect(answer.errors[0].extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          reason: 'OPERATION_NOT_FOUND',
        });
        expect(answer.errors[0].message).toMatch(/operation/i);
        expect(answer.errors[0].message).not.toContain('NoSuchOperation');
      }
    }
    const chosen = await post(supergraph.gatewayUrl, { ...cases[2], operationName: 'B' });
    expect(chosen.status).toBe(200);
    expect((await json(chosen)).data.sellers).toBeDefined();
  });

  it('answers a subscription sent over HTTP POST with 400 pointing to WebSocket, not 500', async () => {
    const res = await post(
      supergraph.gatewayUrl,
      {
        query: 'subscription ($id: ID!) { orderUpdated(id: $id) { id status } }',
        variables: { id: 'c0ffee00-0000-4000-8000-000000000001' },
      },
      { accept: 'application/graphql-response+json' },
    );
    expect(res.status).toBe(400);
    const answer = await json(res);
    expect(answer.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'SUBSCRIPTION_OVER_HTTP',
    });
    expect(answer.errors[0].message).toMatch(/WebSocket/);
  });

  it('serves queries over GET but never mutations', async () => {
    const q = await fetch(
      `${supergraph.gatewayUrl}?query=${encodeURIComponent('{ categories { id } }')}`,
      {
        headers: { 'apollo-require-preflight': 'true' },
      },
    );
    expect(q.status).toBe(200);
    const m = await fetch(
      `${supergraph.gatewayUrl}?query=${encodeURIComponent('mutation { __typename }')}`,
      {
        headers: { 'apollo-require-preflight': 'true' },
      },
    );
    expect(m.status).toBe(405);
  });

  it('refuses CSRF-able simple requests', async () => {
    const get = await fetch(
      `${supergraph.gatewayUrl}?query=${encodeURIComponent('{ categories { id } }')}`,
    );
    expect(get.status).toBe(400);
    const form = await fetch(supergraph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ categories { id } }' }),
    });
    expect(form.status).toBe(400);
  });

  it('refuses bodies over the size limit with 413 before parsing', async () => {
    const huge = 'x'.repeat(300 * 1024);
    const res = await post(supergraph.gatewayUrl, { query: `{ categories { id } } # ${huge}` });
    expect(res.status).toBe(413);
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const res = await fetch(supergraph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(res.status).toBe(400);
    expect((await json(res)).errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});

describe('GraphQL over HTTP audit (graphql-http, the reference implementation of the spec)', () => {
  it('passes every MUST and SHOULD check against the gateway and against a subgraph', async () => {
    for (const url of [supergraph.gatewayUrl, supergraph.subgraphUrls.catalog]) {
      const results = await auditServer({ url });
      const missed = results
        .filter((r) => r.status !== 'ok' && !r.name.startsWith('MAY'))
        .map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
      expect(missed, url).toEqual([]);
      // The audit's 30-odd MUST and SHOULD checks all ran.
      expect(results.filter((r) => !r.name.startsWith('MAY')).length).toBeGreaterThan(30);
    }
  });

  it('answers a request error with 400 or with 200 as the client asked', async () => {
    const cases = [
      { body: JSON.stringify({ qeury: '{ categories { id } }' }), code: 'BAD_USER_INPUT' },
      { body: JSON.stringify({ query: '{' }), code: 'BAD_USER_INPUT' },
      { body: JSON.stringify({ query: '{ nope }' }), code: 'BAD_USER_INPUT' },
    ];
    for (const { body, code } of cases) {
      for (const [accept, status] of [
        ['application/graphql-response+json', 400],
        ['application/json', 200],
        ['application/json, application/graphql-response+json;q=0.5', 200],
        ['application/graphql-response+json, application/json;q=0.9', 400],
        ['', 200],
      ] as const) {
        const res = await fetch(supergraph.gatewayUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) },
          body,
        });
        expect(res.status, `${body} / ${accept}`).toBe(status);
        const answer = await json(res);
        expect(answer.data, body).toBeUndefined();
        expect(answer.errors[0].extensions.code, body).toBe(code);
      }
    }
    // A body that is not JSON is no GraphQL request under either media type.
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const res = await fetch(supergraph.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept },
        body: '{ "not a JSON',
      });
      expect(res.status, accept).toBe(400);
    }
  });
});
