import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  graphql,
  loadFixtureStore,
  startSupergraph,
  testEnv,
  type RunningSupergraph,
} from '@shop/testing';
import type { Store } from '@shop/seed';

const env = testEnv(inject('stack'));
let supergraph: RunningSupergraph;
let store: Store;

beforeAll(async () => {
  store = await loadFixtureStore(env);
  supergraph = await startSupergraph(env);
});
afterAll(async () => {
  await supergraph?.close();
});

describe('a query through the gateway', () => {
  it("joins a product (catalog) with its reviews' authors (user)", async () => {
    const review = store.reviews[0]!;
    const product = store.products.find((p) => p.id === review.productId)!;
    const res = await graphql<{ product: any }>(
      supergraph.gatewayUrl,
      `
        query ($id: ID!) {
          product(id: $id) {
            id
            name
            price {
              amount
              currency
            }
            stock
            inStock
            category {
              name
            }
            seller {
              name
            }
            reviews(first: 20) {
              totalCount
              edges {
                node {
                  rating
                  author {
                    id
                    name
                  }
                }
              }
            }
          }
        }
      `,
      { id: product.id },
    );
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    const p = res.data!.product;
    expect(p.name).toBe(product.name);
    expect(p.price).toEqual({ amount: product.price, currency: 'USD' });
    expect(p.category.name).toBe(store.categories.find((c) => c.id === product.categoryId)!.name);
    expect(p.seller.name).toBe(store.sellers.find((s) => s.id === product.sellerId)!.name);
    const reviews = store.reviews.filter((r) => r.productId === product.id);
    expect(p.reviews.totalCount).toBe(reviews.length);
    const authors = p.reviews.edges.map((e: any) => e.node.author);
    for (const author of authors) {
      // `name` lives only in the user subgraph's database: the gateway fetched it from there.
      expect(author.name).toBe(store.users.find((u) => u.id === author.id)!.name);
    }
  });

  it('resolves search hits (Elasticsearch) into catalog products', async () => {
    const target = store.products[3]!;
    const word = target.name.split(' ')[0]!; // the brand
    const res = await graphql<{ searchProducts: any }>(
      supergraph.gatewayUrl,
      `
        query ($q: String!) {
          searchProducts(query: $q, first: 50) {
            totalCount
            hits {
              score
              product {
                id
                name
                price {
                  amount
                }
              }
            }
          }
        }
      `,
      { q: word },
    );
    expect(res.errors).toBeUndefined();
    const result = res.data!.searchProducts;
    const expected = store.products.filter((p) => p.name.includes(word)).length;
    expect(result.totalCount).toBeGreaterThanOrEqual(expected);
    const hit = result.hits.find((h: any) => h.product.id === target.id);
    expect(hit.product.name).toBe(target.name);
    expect(hit.product.price.amount).toBe(target.price);
  });

  it('pages products with cursors and a total count', async () => {
    const query = `query ($after: String) { products(first: 25, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }`;
    const seen = new Set<string>();
    let after: string | null = null;
    let pages = 0;
    do {
      const res: any = await graphql(supergraph.gatewayUrl, query, { after });
      expect(res.errors).toBeUndefined();
      expect(res.data.products.totalCount).toBe(store.products.length);
      for (const edge of res.data.products.edges) seen.add(edge.node.id);
      after = res.data.products.pageInfo.hasNextPage ? res.data.products.pageInfo.endCursor : null;
      pages++;
    } while (after && pages < 10);
    expect(pages).toBe(Math.ceil(store.products.length / 25));
    expect(seen.size).toBe(store.products.length);
  });

  it('answers bad input with BAD_USER_INPUT and no internals', async () => {
    const res = await graphql(
      supergraph.gatewayUrl,
      `
        {
          product(id: "1; DROP TABLE products") {
            id
          }
        }
      `,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(res)).not.toMatch(/stack|prisma|at \w+ \(/i);
    const paging = await graphql(
      supergraph.gatewayUrl,
      `
        {
          products(first: 1000) {
            totalCount
          }
        }
      `,
    );
    expect(paging.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses the signed-in fields without a token', async () => {
    const res = await graphql(
      supergraph.gatewayUrl,
      `
        {
          cart {
            itemCount
          }
        }
      `,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const me = await graphql<{ me: unknown }>(
      supergraph.gatewayUrl,
      `
        {
          me {
            id
          }
        }
      `,
    );
    expect(me.data?.me).toBeNull();
  });
});
