import { readFileSync } from 'node:fs';
import type { DocumentNode } from 'graphql';
import { gql } from 'graphql-tag';
import { oneOf, port, secret, str, url } from '@shop/config';

/** Settings every subgraph reads; each service adds its own (database, search, ...). */
export function subgraphSettings(defaultPort: number) {
  return {
    HOST: str({ default: '127.0.0.1' }),
    PORT: port(defaultPort),
    /** Shared with the gateway; verifies the identity header it forwards. */
    INTERNAL_AUTH_SECRET: secret({ min: 32 }),
    LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    /**
     * Where sessions end (the user service writes revocations, the gateway reads them): a
     * subgraph refuses an identity header whose session has ended since it was signed. Cart,
     * order and user keep their own data there too (caches, order change notices, limits).
     */
    REDIS_URL: url(['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  };
}

/** A subgraph's SDL from its schema.graphql, the one file both the server and codegen read. */
export function readSchema(file: URL): DocumentNode {
  return gql(readFileSync(file, 'utf8'));
}
