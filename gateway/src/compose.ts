import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPH_NAMES, subgraphSdl, type SubgraphName } from './subgraphs.ts';

export class CompositionError extends Error {}

/**
 * Composes the supergraph from the five subgraphs' SDL with @apollo/composition, the library
 * Rover runs (Rover's binary cannot be downloaded here). URLs are where the gateway reaches them.
 */
export function composeSupergraph(urls: Record<SubgraphName, string>): string {
  const result = composeServices(
    SUBGRAPH_NAMES.map((name) => ({ name, url: urls[name], typeDefs: parse(subgraphSdl(name)) })),
  );
  if (result.errors) {
    throw new CompositionError(
      `supergraph composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`,
    );
  }
  return result.supergraphSdl;
}
