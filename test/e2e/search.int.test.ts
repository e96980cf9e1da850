import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { priceBuckets } from '@shop/search-client';
import {
  graphql,
  loadFixtureStore,
  startSupergraph,
  testEnv,
  type RunningSupergraph,
} from '@shop/testing';
import type { ProductRow, Store } from '@shop/seed';

const env = testEnv(inject('stack'));
let supergraph: RunningSupergraph;
let store: Store;

beforeAll(async () => {
  store = await loadFixtureStore(env, { products: 150, customers: 10, reviewedShare: 0.7 });
  supergraph = await startSupergraph(env);
});
afterAll(async () => {
  await supergraph?.close();
});

const SEARCH = `
  query ($query: String!, $filter: ProductFilter, $first: Int, $after: String) {
    searchProducts(query: $query, filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      hits { score highlights product { id name price { amount } stock category { id } seller { id name } } }
      facets {
        categories { count category { id name } }
        priceRanges { key min max count }
      }
    }
  }`;
const search = (vars: Record<string, unknown>) =>
  graphql<{ searchProducts: any }>(supergraph.gatewayUrl, SEARCH, vars);

/** Every id a search returns, over all pages. */
async function allHits(vars: Record<string, unknown>) {
  const ids: string[] = [];
  let after: string | null = null;
  let total = -1;
  for (let guard = 0; guard < 20; guard++) {
    const res = await search({ ...vars, first: 100, after });
    expect(res.errors).toBeUndefined();
    const page = res.data!.searchProducts;
    total = page.totalCount;
    ids.push(...page.hits.map((h: any) => h.product.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { ids, total };
}

const ancestorsOf = (categoryId: string) => {
  const ids: string[] = [];
  for (let c = store.categories.find((x) => x.id === categoryId); c;) {
    ids.push(c.id);
    c = store.categories.find((x) => x.id === c!.parentId);
  }
  return ids;
};

describe('searchProducts', () => {
  it('finds a product by a misspelled name word, with highlights and catalog fields', async () => {
    const target = store.products[7]!;
    const noun = target.name.split(' ')[2]!; // "<Brand> <Series> <Noun...>"
    const typo = noun.length > 4 ? noun.slice(0, -2) + noun.at(-1) + noun.at(-2) : noun;
    const res = await search({ query: `${target.name.split(' ')[0]} ${typo}`, first: 100 });
    expect(res.errors).toBeUndefined();
    const hit = res.data!.searchProducts.hits.find((h: any) => h.product.id === target.id);
    expect(hit).toBeDefined();
    expect(hit.highlights.join(' ')).toMatch(/<em>/);
    expect(hit.product.seller.id).toBe(target.sellerId);
  });

  it('matches the seller name and the (parent) category name', async () => {
    const seller = store.sellers[2]!;
    const bySeller = await allHits({ query: seller.name, filter: { sellerId: seller.id } });
    expect(bySeller.total).toBe(store.products.filter((p) => p.sellerId === seller.id).length);
    const top = store.categories.find((c) => c.slug === 'reels')!;
    const byCategory = await allHits({ query: 'reels', filter: { categoryId: top.id } });
    expect(byCategory.total).toBe(
      store.products.filter((p) => ancestorsOf(p.categoryId).includes(top.id)).length,
    );
  });

  it('applies every filter in Elasticsearch, matching the catalog data', async () => {
    const seller = store.products[0]!.sellerId;
    const top = store.categories.find((c) => c.slug === 'rods')!;
    const filter = { categoryId: top.id, minPrice: '50', maxPrice: '300', inStock: true };
    const match = (p: ProductRow) =>
      ancestorsOf(p.categoryId).includes(top.id) &&
      Number(p.price) >= 50 &&
      Number(p.price) <= 300 &&
      p.stock > 0;
    const { ids, total } = await allHits({ query: 'rod', filter });
    const expected = store.products.filter(match).map((p) => p.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(total).toBe(expected.length);
    expect(ids.sort()).toEqual(expected.sort());

    const soldOut = await allHits({
      query: 'rod reel line lure hook',
      filter: { inStock: false, sellerId: seller },
    });
    for (const id of soldOut.ids) {
      const p = store.products.find((x) => x.id === id)!;
      expect(p.stock).toBe(0);
      expect(p.sellerId).toBe(seller);
    }
    const brand = store.products[4]!.name.split(' ')[0]!;
    const text = await allHits({
      query: 'rod reel line lure hook jacket',
      filter: { text: brand },
    });
    for (const id of text.ids)
      expect(store.products.find((x) => x.id === id)!.name).toContain(brand);
  });

  it('counts facets by category tree and price range, each ignoring its own filter', async () => {
    const top = store.categories.find((c) => c.slug === 'rods')!;
    const res = await search({
      query: 'rod',
      filter: { categoryId: top.id, minPrice: '100' },
      first: 1,
    });
    expect(res.errors).toBeUndefined();
    const { facets, totalCount } = res.data!.searchProducts;
    const all = await allHits({ query: 'rod' });
    const matching = all.ids.map((id) => store.products.find((p) => p.id === id)!);
    // Category facet: all filters but categoryId (so only minPrice), counted up the tree.
    const priced = matching.filter((p) => Number(p.price) >= 100);
    for (const f of facets.categories) {
      const expected = priced.filter((p) => ancestorsOf(p.categoryId).includes(f.category.id));
      expect(f.count, f.category.name).toBe(expected.length);
    }
    // Price facet: all filters but the price (so only the category), every bucket listed.
    const inTree = matching.filter((p) => ancestorsOf(p.categoryId).includes(top.id));
    expect(facets.priceRanges.map((r: any) => r.key)).toEqual(priceBuckets().map((b) => b.key));
    for (const r of facets.priceRanges) {
      const expected = inTree.filter(
        (p) =>
          (r.min === null || Number(p.price) >= Number(r.min)) &&
          (r.max === null || Number(p.price) < Number(r.max)),
      );
      expect(r.count, r.key).toBe(expected.length);
    }
    expect(totalCount).toBe(inTree.filter((p) => Number(p.price) >= 100).length);
  });

  it('pages without repeats and refuses bad input', async () => {
    const { ids, total } = await allHits({ query: 'rod reel line' });
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(total);
    for (const vars of [
      { query: '   ' },
      { query: 'x'.repeat(201) },
      { query: 'rod', first: 0 },
      { query: 'rod', first: 101 },
      { query: 'rod', after: 'bogus' },
      { query: 'rod', filter: { minPrice: '-5' } },
      { query: 'rod', filter: { minPrice: '9', maxPrice: '1' } },
      { query: 'rod', filter: { categoryId: 'rods' } },
      { query: 'rod', filter: { text: 't'.repeat(201) } },
    ]) {
      const res = await search(vars);
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(vars)).toBe('BAD_USER_INPUT');
    }
  });
});

describe('searchSellers and searchReviews', () => {
  it('finds a seller by a misspelled name and resolves it from the catalog', async () => {
    const seller = store.sellers[1]!;
    const word = seller.name.split(' ').find((w) => w.length > 5) ?? seller.name;
    const typo = word.slice(0, -2) + word.at(-1) + word.at(-2);
    const res = await graphql<any>(
      supergraph.gatewayUrl,
      `
        query ($q: String!) {
          searchSellers(query: $q) {
            totalCount
            hits {
              score
              highlights
              seller {
                id
                name
                description
              }
            }
          }
        }
      `,
      { q: typo },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.searchSellers.hits.map((h: any) => h.seller.id)).toContain(seller.id);
  });

  it('finds reviews by text, of one product and from a rating', async () => {
    const review = store.reviews.find((r) => r.rating === 5)!;
    const word = review.text.split(/\W+/).sort((a, b) => b.length - a.length)[0]!;
    const res = await graphql<any>(
      supergraph.gatewayUrl,
      `
        query ($q: String!, $p: ID, $min: Int) {
          searchReviews(query: $q, productId: $p, minRating: $min) {
            totalCount
            hits {
              highlights
              review {
                id
                rating
                text
                product {
                  id
                }
                author {
                  id
                }
              }
            }
          }
        }
      `,
      { q: word, p: review.productId, min: 4 },
    );
    expect(res.errors).toBeUndefined();
    const hits = res.data.searchReviews.hits;
    expect(hits.map((h: any) => h.review.id)).toContain(review.id);
    for (const h of hits) {
      expect(h.review.product.id).toBe(review.productId);
      expect(h.review.rating).toBeGreaterThanOrEqual(4);
    }
    const bad = await graphql<any>(
      supergraph.gatewayUrl,
      `
        {
          searchReviews(query: "great", minRating: 9) {
            totalCount
          }
        }
      `,
    );
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
