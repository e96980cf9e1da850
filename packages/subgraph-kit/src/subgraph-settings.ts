import { readFileSync } from 'node:fs';
import type { DocumentNode } from 'graphql';
import { gql } from 'graphql-tag';
import { oneOf, port, secret, str } from '@shop/config';

/** Settings every subgraph reads; each service adds its own (database, search, ...). */
export function subgraphSettings(defaultPort: number) {
  return {
    HOST: str({ default: '127.0.0.1' }),
    PORT: port(defaultPort),
    /** Shared with the gateway; verifies the identity header it forwards. */
    INTERNAL_AUTH_SECRET: secret({ min: 32 }),
    LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  };
}

/** A subgraph's SDL from its schema.graphql, the one file both the server and codegen read. */
export function readSchema(file: URL): DocumentNode {
  return gql(readFileSync(file, 'utf8'));
}
