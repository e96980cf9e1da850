import { PrismaClient } from './generated/client.ts';
import { pgAdapter, type PoolOptions } from '../src/adapter.ts';

export * from './generated/client.ts';

export interface CatalogPrismaOptions extends PoolOptions {
  /** Called for every SQL statement the client sends (metrics, and tests that count queries). */
  onQuery?: (event: { query: string; durationMs: number }) => void;
}

export function createCatalogPrisma(
  databaseUrl: string,
  options: CatalogPrismaOptions = {},
): PrismaClient {
  const adapter = pgAdapter(databaseUrl, options);
  if (!options.onQuery) return new PrismaClient({ adapter });
  const onQuery = options.onQuery;
  const client = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', (e) => onQuery({ query: e.query, durationMs: Number(e.duration) }));
  return client as unknown as PrismaClient;
}
