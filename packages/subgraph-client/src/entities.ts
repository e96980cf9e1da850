import DataLoader from 'dataloader';
import type { SubgraphClient } from './client.ts';
import { SubgraphUnavailableError } from './errors.ts';

export interface EntityLoaderOptions {
  /** The entity's type name in the peer, for example "Product". */
  typename: string;
  /** The fields to fetch, as a selection set body: `id name price { amount currency }`. */
  selection: string;
  /** Keys per `_entities` request; larger batches are split. */
  maxBatchSize?: number;
}

/**
 * Loads entities of another subgraph by id through its federation `_entities` field. All ids
 * asked for in one tick go out as ONE request (DataLoader batching); unknown ids load as null.
 * Create one loader per incoming request so nothing is cached across requests or users.
 */
export function entityLoader<T extends { id: string }>(
  client: SubgraphClient,
  options: EntityLoaderOptions,
): DataLoader<string, T | null> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.typename))
    throw new Error(`not a GraphQL type name: ${options.typename}`);
  const query = `query EntityLookup($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on ${options.typename} { ${options.selection} } }
  }`;
  return new DataLoader<string, T | null>(
    async (ids) => {
      const data = await client.request<{ _entities: (T | null)[] }>(query, {
        representations: ids.map((id) => ({ __typename: options.typename, id })),
      });
      const rows = data._entities;
      if (!Array.isArray(rows) || rows.length !== ids.length)
        throw new SubgraphUnavailableError(
          client.service,
          `_entities answered ${Array.isArray(rows) ? rows.length : 'no'} rows for ${ids.length} keys`,
        );
      // Null entries (unknown ids) stay null; a row for another id would be a peer bug.
      return rows.map((row, i) => (row && row.id === ids[i] ? row : null));
    },
    { maxBatchSize: options.maxBatchSize ?? 100 },
  );
}
