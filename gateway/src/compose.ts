import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPH_NAMES, subgraphSdl, type SubgraphName } from './subgraphs.ts';

export class CompositionError extends Error {}

/** A subgraph to compose: its name, where the gateway reaches it, and its SDL. */
export interface SubgraphToCompose {
  name: string;
  url: string;
  sdl: string;
}

/**
 * Composes a supergraph with @apollo/composition, the library Rover runs (Rover's binary cannot
 * be downloaded here); a CompositionError lists composition's messages.
 */
export function composeSubgraphs(subgraphs: readonly SubgraphToCompose[]): string {
  const result = composeServices(
    subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })),
  );
  if (result.errors) {
    throw new CompositionError(
      `supergraph composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`,
    );
  }
  return result.supergraphSdl;
}

/** The five built-in subgraphs' SDL composed, with the URLs where the gateway reaches them. */
export function composeSupergraph(urls: Record<SubgraphName, string>): string {
  return composeSubgraphs(
    SUBGRAPH_NAMES.map((name) => ({ name, url: urls[name], sdl: subgraphSdl(name) })),
  );
}
