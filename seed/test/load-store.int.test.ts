import { afterAll, describe, expect, inject, it } from 'vitest';
import { createSearchClient, productsAlias } from '@shop/search-client';
import { loadFixtureStore, testEnv, TEST_PREFIX } from '@shop/testing';
import { generateStore } from '../src/generate-store.ts';
import { loadStore } from '../src/load-store.ts';
import { indexedProductCount } from '../src/rebuild-search-index.ts';

const env = testEnv(inject('stack'));
const search = createSearchClient(env.stack.elasticsearch.url);
const targets = {
  catalogUrl: env.databaseUrl('catalog'),
  userUrl: env.databaseUrl('user'),
  search,
  indexPrefix: TEST_PREFIX,
};

afterAll(() => search.close());

describe('loadStore', () => {
  it('loads products into the catalog and the search index', async () => {
    const store = await loadFixtureStore(env);
    expect(await indexedProductCount(search, TEST_PREFIX)).toBe(store.products.length);
  });

  it('leaves an existing catalog alone but rebuilds a lost search index from it', async () => {
    const store = await loadFixtureStore(env);
    const alias = productsAlias(TEST_PREFIX);
    const { body } = await search.indices.getAlias({ name: alias });
    await search.indices.delete({ index: Object.keys(body as object).join(',') });
    expect(await indexedProductCount(search, TEST_PREFIX)).toBe(0);

    const lines: string[] = [];
    const loaded = await loadStore(
      generateStore({ products: 5, customers: 1, reviewedShare: 0 }, 99),
      targets,
      {
        log: (l) => lines.push(l),
      },
    );
    expect(loaded).toBe(false);
    expect(lines.join('\n')).toMatch(/seed skipped/);
    expect(lines.join('\n')).toMatch(
      new RegExp(`${store.products.length} products reindexed from the catalog`),
    );
    expect(await indexedProductCount(search, TEST_PREFIX)).toBe(store.products.length);
  });
});
