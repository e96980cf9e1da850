import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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

const PRODUCTS = `
  query ($filter: ProductFilter, $sort: ProductSort, $first: Int, $after: String) {
    products(filter: $filter, sort: $sort, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id name price { amount currency } stock inStock rating reviewCount } }
    }
  }`;

async function products(vars: Record<string, unknown>) {
  return graphql<{ products: any }>(supergraph.gatewayUrl, PRODUCTS, vars);
}

/** Pages through a whole list, returning the ids in order and the totalCount of each page. */
async function allPages(vars: Record<string, unknown>, first = 40) {
  const ids: string[] = [];
  const totals = new Set<number>();
  let after: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const res = await products({ ...vars, first, after });
    expect(res.errors).toBeUndefined();
    const page = res.data!.products;
    totals.add(page.totalCount);
    ids.push(...page.edges.map((e: any) => e.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  return { ids, totals: [...totals] };
}

const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
const byId = (a: ProductRow, b: ProductRow) => cmp(a.id, b.id);
const EXPECTED_ORDER: Record<string, (a: ProductRow, b: ProductRow) => number> = {
  PRICE_ASC: (a, b) => Number(a.price) - Number(b.price) || byId(a, b),
  PRICE_DESC: (a, b) => Number(b.price) - Number(a.price) || byId(b, a),
  NEWEST: (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || byId(b, a),
  RATING: (a, b) =>
    (b.ratingAvg ?? 0) - (a.ratingAvg ?? 0) || b.ratingCount - a.ratingCount || byId(b, a),
  NAME: (a, b) => cmp(a.name, b.name) || byId(a, b),
};

describe('products: sorts and keyset pagination', () => {
  it.each(Object.keys(EXPECTED_ORDER))(
    '%s pages through every product once, in order',
    async (sort) => {
      const { ids, totals } = await allPages({ sort }, 35);
      const expected = [...store.products].sort(EXPECTED_ORDER[sort]).map((p) => p.id);
      expect(totals).toEqual([store.products.length]);
      expect(ids).toEqual(expected);
    },
  );

  it('defaults to NEWEST and returns price, stock and rating of each product', async () => {
    const res = await products({ first: 3 });
    const newest = [...store.products].sort(EXPECTED_ORDER.NEWEST)[0]!;
    const node = res.data!.products.edges[0].node;
    expect(node).toMatchObject({
      id: newest.id,
      price: { amount: newest.price, currency: 'USD' },
      stock: newest.stock,
      inStock: newest.stock > 0,
      reviewCount: newest.ratingCount,
    });
  });

  it('refuses a cursor from another sort, a malformed cursor and bad page sizes', async () => {
    const priced = await products({ sort: 'PRICE_ASC', first: 2 });
    const cursor = priced.data!.products.pageInfo.endCursor;
    const other = await products({ sort: 'NAME', first: 2, after: cursor });
    expect(other.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(other.errors?.[0]?.message).toMatch(/PRICE_ASC/);
    for (const vars of [
      { after: 'not-a-cursor' },
      { after: Buffer.from('["NEWEST","x","y"]').toString('base64url') },
      { first: 0 },
      { first: 101 },
      { first: -5 },
    ]) {
      const res = await products(vars);
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(vars)).toBe('BAD_USER_INPUT');
    }
  });
});

describe('products: filters', () => {
  const subtree = (rootId: string) => {
    const ids = new Set([rootId]);
    for (let grew = true; grew;) {
      grew = false;
      for (const c of store.categories)
        if (c.parentId && ids.has(c.parentId) && !ids.has(c.id)) grew = ids.add(c.id) !== null;
    }
    return ids;
  };
  const expectFilter = async (
    filter: Record<string, unknown>,
    match: (p: ProductRow) => boolean,
  ) => {
    const { ids, totals } = await allPages({ filter, sort: 'PRICE_ASC' }, 100);
    const expected = store.products
      .filter(match)
      .sort(EXPECTED_ORDER.PRICE_ASC)
      .map((p) => p.id);
    expect(expected.length, `fixture has matches for ${JSON.stringify(filter)}`).toBeGreaterThan(0);
    expect(ids).toEqual(expected);
    expect(totals).toEqual([expected.length]);
  };

  it('categoryId includes the products of sub-categories', async () => {
    const top = store.categories.find(
      (c) =>
        c.parentId === null &&
        store.products.some((p) => subtree(c.id).has(p.categoryId) && p.categoryId !== c.id),
    )!;
    const inTree = subtree(top.id);
    await expectFilter({ categoryId: top.id }, (p) => inTree.has(p.categoryId));
    const leaf = store.products[0]!.categoryId;
    await expectFilter({ categoryId: leaf }, (p) => p.categoryId === leaf);
  });

  it('sellerId, price range, inStock and text, alone and combined', async () => {
    const seller = store.products[1]!.sellerId;
    await expectFilter({ sellerId: seller }, (p) => p.sellerId === seller);
    await expectFilter(
      { minPrice: '20', maxPrice: '99.99' },
      (p) => Number(p.price) >= 20 && Number(p.price) <= 99.99,
    );
    await expectFilter({ inStock: false }, (p) => p.stock === 0);
    await expectFilter({ inStock: true }, (p) => p.stock > 0);
    const word = store.products[2]!.name.split(' ')[0]!; // the brand
    const contains = (p: ProductRow, w: string) =>
      `${p.name} ${p.description}`.toLowerCase().includes(w.toLowerCase());
    await expectFilter({ text: word.toUpperCase() }, (p) => contains(p, word));
    await expectFilter(
      { text: `${word} rod`, inStock: true, maxPrice: '500' },
      (p) => contains(p, word) && contains(p, 'rod') && p.stock > 0 && Number(p.price) <= 500,
    );
  });

  it('matches nothing for unknown ids and LIKE wildcards literally', async () => {
    const res = await products({
      filter: { categoryId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(res.data!.products).toMatchObject({ totalCount: 0, edges: [] });
    const wild = await products({ filter: { text: '%' } });
    expect(wild.data!.products.totalCount).toBe(0);
  });

  it.each([
    [{ minPrice: '-1' }, 'filter.minPrice'],
    [{ maxPrice: '1e9' }, 'filter.maxPrice'],
    [{ minPrice: '12.345' }, 'filter.minPrice'],
    [{ minPrice: '50', maxPrice: '10' }, 'filter.minPrice'],
    [{ minPrice: '99999999999' }, 'filter.minPrice'],
    [{ categoryId: 'rods' }, 'filter.categoryId'],
    [{ sellerId: "1' OR '1'='1" }, 'filter.sellerId'],
    [{ text: 'x'.repeat(201) }, 'filter.text'],
  ])('refuses %j', async (filter, field) => {
    const res = await products({ filter });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.message).toContain(field);
  });

  it('refuses variables of the wrong type (unknown sort, string page size, bad filter types)', async () => {
    for (const vars of [
      { sort: 'CHEAPEST' },
      { first: 'ten' },
      { filter: { minPrice: 5, inStock: 'yes' } },
    ]) {
      const res = await products(vars);
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(vars)).toBe('BAD_USER_INPUT');
    }
  });
});

describe('product, categories and sellers', () => {
  const QUERY = `
    query ($id: ID!) {
      product(id: $id) {
        id sku attributes { name value } images currency createdAt updatedAt
        category { id name parent { id } path { id } }
        seller { id name products(first: 1) { totalCount } }
      }
    }`;

  it('exposes attributes, images, the category path and the seller', async () => {
    const p = store.products[5]!;
    const res = await graphql<{ product: any }>(supergraph.gatewayUrl, QUERY, { id: p.id });
    expect(res.errors).toBeUndefined();
    const product = res.data!.product;
    expect(product.attributes).toEqual(
      Object.entries(p.attributes)
        .map(([name, value]) => ({ name, value }))
        .sort((a, b) => cmp(a.name, b.name)),
    );
    expect(product.images).toEqual(p.images);
    const leaf = store.categories.find((c) => c.id === p.categoryId)!;
    expect(product.category.parent.id).toBe(leaf.parentId);
    expect(product.category.path.map((c: any) => c.id)).toEqual([leaf.parentId]);
    expect(product.seller.products.totalCount).toBe(
      store.products.filter((x) => x.sellerId === p.sellerId).length,
    );
  });

  it('answers null for an unknown id and BAD_USER_INPUT for a malformed one', async () => {
    const unknown = await graphql<{ product: any }>(supergraph.gatewayUrl, QUERY, {
      id: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data!.product).toBeNull();
    const bad = await graphql(supergraph.gatewayUrl, QUERY, { id: '42' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('walks the category tree and lists a category subtree', async () => {
    const res = await graphql<{ rootCategories: any[]; sellers: any[] }>(
      supergraph.gatewayUrl,
      `
        {
          rootCategories {
            id
            name
            children {
              id
              parent {
                id
              }
              products(first: 1) {
                totalCount
              }
            }
            products(first: 1) {
              totalCount
            }
          }
          sellers {
            id
            name
          }
        }
      `,
    );
    expect(res.errors).toBeUndefined();
    const roots = res.data!.rootCategories;
    expect(roots.map((r) => r.id).sort()).toEqual(
      store.categories
        .filter((c) => c.parentId === null)
        .map((c) => c.id)
        .sort(),
    );
    for (const root of roots) {
      const childSum = root.children.reduce((s: number, c: any) => s + c.products.totalCount, 0);
      expect(root.products.totalCount).toBe(childSum);
      for (const child of root.children) expect(child.parent.id).toBe(root.id);
    }
    expect(res.data!.sellers).toHaveLength(store.sellers.length);
  });
});
