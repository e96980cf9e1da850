/** Rebuilds the product search index from the catalog database: npm run reindex */
import { databaseName, databaseUrl } from '@shop/prisma/databases';
import { createSearchClient } from '@shop/search-client';
import { rebuildSearchIndex } from './rebuild-search-index.ts';

const serverUrl = process.env.POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const prefix = process.env.DATABASE_PREFIX ?? 'shop';
const search = createSearchClient(process.env.ELASTICSEARCH_URL ?? 'http://127.0.0.1:9200');
try {
  const result = await rebuildSearchIndex(
    databaseUrl(serverUrl, databaseName('catalog', prefix)),
    search,
    process.env.SEARCH_INDEX_PREFIX ?? prefix,
  );
  console.log(
    `reindex: ${result.count} products into ${result.index}, ${result.sellers} sellers, ${result.reviews} reviews; aliases swapped`,
  );
} catch (error) {
  console.error(`reindex: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await search.close();
}
