import type pg from 'pg';
import type { SearchClient } from '@shop/search-client';

/** What the sync functions read the catalog through: the pool, or the handler's transaction. */
export type CatalogReader = Pick<pg.PoolClient, 'query'>;

export interface IndexSyncOptions {
  catalogPool: CatalogReader;
  search: SearchClient;
  /** Index prefix: the aliases are `${prefix}_products`, `${prefix}_sellers`, `${prefix}_reviews`. */
  searchPrefix: string;
  /** Refresh after each write (tests); production relies on the index refresh interval. */
  refresh?: boolean;
}

/** Elasticsearch answered 409: the index holds a newer version than the one written. */
export function isConflict(error: unknown): boolean {
  return (error as { meta?: { statusCode?: number } }).meta?.statusCode === 409;
}

/** Category ids and names are few (hundreds): one query for a batch of products. */
export const CATEGORY_CHAIN = `WITH RECURSIVE chain AS (
    SELECT id, name, parent_id, 1 AS depth FROM categories WHERE id = ANY($1::uuid[])
    UNION ALL
    SELECT c.id, c.name, c.parent_id, chain.depth + 1
    FROM categories c JOIN chain ON c.id = chain.parent_id WHERE chain.depth < 32
  ) SELECT DISTINCT id, name, parent_id AS "parentId" FROM chain`;
