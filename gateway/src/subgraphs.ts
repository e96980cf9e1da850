import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SUBGRAPH_NAMES = ['catalog', 'user', 'cart', 'order', 'search'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

export const DEFAULT_SUBGRAPH_PORTS: Record<SubgraphName, number> = {
  catalog: 4001,
  user: 4002,
  cart: 4003,
  order: 4004,
  search: 4005,
};

/** The SDL each subgraph serves, read from its schema.graphql (the single source of both). */
export function subgraphSdl(name: SubgraphName): string {
  return readFileSync(
    fileURLToPath(new URL(`../../subgraphs/${name}/schema.graphql`, import.meta.url)),
    'utf8',
  );
}
