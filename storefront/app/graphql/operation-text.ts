import { print, type DocumentNode } from 'graphql';
import { createCache } from '../apollo/cache.ts';

// The cache's document transform is the one Apollo Client applies before it sends an operation
// (it adds __typename wherever the cache needs it); one cache serves every call.
let transformer: ReturnType<typeof createCache> | undefined;

/**
 * An operation's text as Apollo Client sends it: what the trusted documents list holds
 * (scripts/trusted-documents.ts) and what the session endpoints send (server/gateway-client.ts).
 */
export function operationText(document: DocumentNode): string {
  transformer ??= createCache();
  return print(transformer.transformDocument(document));
}
