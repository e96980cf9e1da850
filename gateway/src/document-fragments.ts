import type { DocumentNode, FragmentDefinitionNode } from 'graphql';
import { graphqlJs } from './subscriptions/graphql-cjs.ts';

/** A document's named fragments by name, as the answer shape and the cache's tags take them. */
export function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions)
    if (definition.kind === graphqlJs.Kind.FRAGMENT_DEFINITION)
      fragments[definition.name.value] = definition;
  return fragments;
}
