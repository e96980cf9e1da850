/**
 * Seeds a fishing-tackle store. Usage:
 *   npm run seed [-- --products 100000 --customers 500 --reset]
 * Reads POSTGRES_URL, DATABASE_PREFIX and ELASTICSEARCH_URL like the rest of the tooling.
 */
import { parseArgs } from 'node:util';
import { databaseName, databaseUrl } from '@shop/prisma/databases';
import { createSearchClient } from '@shop/search-client';
import { DEFAULT_SIZE, generateStore } from './generate-store.ts';
import { loadCheckoutSetup } from './checkout-setup.ts';
import { loadStore } from './load-store.ts';

const { values } = parseArgs({
  options: {
    products: { type: 'string' },
    customers: { type: 'string' },
    reset: { type: 'boolean', default: false },
  },
});
const serverUrl = process.env.POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const prefix = process.env.DATABASE_PREFIX ?? 'shop';
const search = createSearchClient(process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200');
const started = performance.now();
try {
  const store = generateStore({
    ...DEFAULT_SIZE,
    products: Number(values.products ?? DEFAULT_SIZE.products),
    customers: Number(values.customers ?? DEFAULT_SIZE.customers),
  });
  await loadStore(
    store,
    {
      catalogUrl: databaseUrl(serverUrl, databaseName('catalog', prefix)),
      userUrl: databaseUrl(serverUrl, databaseName('user', prefix)),
      search,
      indexPrefix: process.env.SEARCH_INDEX_PREFIX ?? prefix,
    },
    { reset: values.reset, log: (line) => console.log(`seed: ${line}`) },
  );
  await loadCheckoutSetup(
    {
      orderUrl: databaseUrl(serverUrl, databaseName('order', prefix)),
      catalogUrl: databaseUrl(serverUrl, databaseName('catalog', prefix)),
    },
    { log: (line) => console.log(`seed: ${line}`) },
  );
  console.log(`seed: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(`seed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await search.close();
}
