import { createRequire } from 'node:module';
// 7.13's "exports" hides index.d.ts from ESM type resolution, but TypeScript still resolves this
// subpath for types; the value comes through require (the package is CommonJS underneath).
import type * as Elastic from '@elastic/elasticsearch/index.js';

const { Client } = createRequire(import.meta.url)('@elastic/elasticsearch') as typeof Elastic;

export type SearchClient = Elastic.Client;

/**
 * The one place that builds an Elasticsearch client. The server is Elasticsearch 7.10.2 (the last
 * Apache-2.0 release, the newest whose modules are on Maven Central); client 7.13.0 is pinned
 * because 7.14+ run a product check that refuses servers which do not look like Elastic's own
 * build, and 8.x/9.x ask for compatible-with=8/9 media types 7.10 does not know.
 */
export function createSearchClient(node: string): SearchClient {
  return new Client({ node, maxRetries: 2, requestTimeout: 10_000 });
}
