import { createSearchClient } from '@shop/search-client';
import { generateStore, loadStore, type Store } from '@shop/seed';
import { TEST_PREFIX, type TestEnv } from './test-env.ts';

/** A small generated store loaded into the test databases and search index (replacing what was there). */
export async function loadFixtureStore(
  env: TestEnv,
  size = { products: 60, customers: 8, reviewedShare: 0.8 },
): Promise<Store> {
  const store = generateStore(size, 7);
  const search = createSearchClient(env.stack.elasticsearch.url);
  try {
    await loadStore(
      store,
      {
        catalogUrl: env.databaseUrl('catalog'),
        userUrl: env.databaseUrl('user'),
        search,
        indexPrefix: TEST_PREFIX,
      },
      { reset: true },
    );
  } finally {
    await search.close();
  }
  return store;
}
