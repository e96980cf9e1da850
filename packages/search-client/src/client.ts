// The shim is an ambient declaration (not a module), which only a reference can pull in for every
// package that imports this one.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./types/elasticsearch.d.ts" />
import { Client, type ClientOptions } from '@elastic/elasticsearch';

export type SearchClient = Client;

/**
 * The one place that builds an Elasticsearch client. The server is Elasticsearch 7.10.2 (the last
 * Apache-2.0 release, the newest whose modules are on Maven Central); client 7.13.0 is pinned
 * because 7.14+ run a product check that refuses this build (build_flavor "unknown", or "oss" in
 * the -oss image) with ProductNotSupportedError, and 8.x refuses a server without the
 * x-elastic-product header. A client upgrade touches this package only.
 */
export function createSearchClient(
  node: string,
  options: Pick<ClientOptions, 'maxRetries' | 'requestTimeout'> = {},
): SearchClient {
  return new Client({
    node,
    maxRetries: options.maxRetries ?? 2,
    requestTimeout: options.requestTimeout ?? 10_000,
  });
}
