import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  graphql,
  loadFixtureStore,
  startSqlCountingCatalog,
  startSupergraph,
  testEnv,
  type RunningSupergraph,
  type SqlCountingCatalog,
} from '@shop/testing';

const env = testEnv(inject('stack'));
let catalog: SqlCountingCatalog;
let supergraph: RunningSupergraph;

beforeAll(async () => {
  await loadFixtureStore(env, { products: 120, customers: 10, reviewedShare: 0.7 });
  catalog = await startSqlCountingCatalog(env);
  // The gateway talks to the counting catalog; everything else is the normal test supergraph.
  supergraph = await startSupergraph(env, { gateway: { CATALOG_URL: catalog.graphqlUrl } });
});
afterAll(async () => {
  await supergraph?.close();
  await catalog?.close();
});

/** Runs a query through the gateway and returns the SQL statements the catalog sent for it. */
async function sqlFor(query: string, variables: Record<string, unknown>) {
  catalog.reset();
  const res = await graphql<any>(supergraph.gatewayUrl, query, variables);
  if (process.env.SHOW_SQL) console.log(catalog.queries.join('\n'));
  expect(res.errors).toBeUndefined();
  return { data: res.data, queries: [...catalog.queries] };
}

const LIST = `query ($first: Int!) {
  products(first: $first, sort: RATING) {
    edges { node { id name rating reviewCount stock price { amount }
      category { id name parent { id name } } seller { id name } } }
  } }`;

const SEARCH = `query ($first: Int!) {
  searchProducts(query: "rod reel line lure hook jacket box", first: $first) {
    hits { product { id name rating stock category { name } seller { name } } }
    facets { categories { count category { id name } } }
  } }`;

describe('batched entity fetches (SQL statements counted at the catalog)', () => {
  it('a product list costs the same few queries for 5 and for 50 products', async () => {
    const small = await sqlFor(LIST, { first: 5 });
    const large = await sqlFor(LIST, { first: 50 });
    expect(small.data.products.edges).toHaveLength(5);
    expect(large.data.products.edges).toHaveLength(50);
    expect(
      large.data.products.edges.every((e: any) => e.node.seller.name && e.node.category.name),
    ).toBe(true);
    // page ids + count, products by id, categories by id, parents by id, sellers by id
    expect(large.queries.length).toBe(small.queries.length);
    expect(large.queries.length).toBeLessThanOrEqual(6);
    expect(small.queries.length).toBeGreaterThanOrEqual(4); // the gateway did use this catalog
  });

  it('search hits resolved through the gateway cost the same few catalog queries for 5 and 50 hits', async () => {
    const small = await sqlFor(SEARCH, { first: 5 });
    const large = await sqlFor(SEARCH, { first: 50 });
    expect(small.data.searchProducts.hits).toHaveLength(5);
    expect(large.data.searchProducts.hits).toHaveLength(50);
    expect(large.data.searchProducts.hits[49].product.seller.name).toBeTruthy();
    // products by id, categories by id (hits and facets), sellers by id
    expect(large.queries.length).toBe(small.queries.length);
    expect(large.queries.length).toBeLessThanOrEqual(5);
    expect(small.queries.length).toBeGreaterThanOrEqual(3);
    for (const sql of large.queries) expect(sql).not.toMatch(/LIMIT \$\d+ OFFSET/);
  });
});
