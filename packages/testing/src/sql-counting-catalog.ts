import { loadCatalogConfig, startCatalogService } from '@shop/catalog';
import { createLogger } from '@shop/logging';
import { TEST_INTERNAL_SECRET, type TestEnv } from './test-env.ts';

export interface SqlCountingCatalog {
  /** The catalog's GraphQL URL; pass it to startSupergraph as the gateway's CATALOG_URL. */
  graphqlUrl: string;
  /** Every SQL statement sent since the last reset, in order. */
  readonly queries: string[];
  reset(): void;
  close(): Promise<void>;
}

/**
 * A catalog subgraph (the real service, on the test database) that records every SQL statement
 * it sends, so tests can prove that entity fetches are batched.
 */
export async function startSqlCountingCatalog(env: TestEnv): Promise<SqlCountingCatalog> {
  const queries: string[] = [];
  const service = await startCatalogService(
    loadCatalogConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      INTERNAL_AUTH_SECRET: TEST_INTERNAL_SECRET,
      LOG_LEVEL: 'silent',
      DATABASE_URL: env.databaseUrl('catalog'),
    }),
    createLogger('catalog', process.env.TEST_LOG_LEVEL ?? 'silent'),
    { onSqlQuery: (event) => queries.push(event.query) },
  );
  return {
    graphqlUrl: `${service.url}/graphql`,
    queries,
    reset: () => void queries.splice(0),
    close: () => service.close(),
  };
}
