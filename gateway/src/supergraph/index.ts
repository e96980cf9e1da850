export { readSupergraphConfig, type SubgraphEntry } from './supergraph-config.ts';
export {
  builtInSupergraph,
  composedFromConfig,
  supergraphFile,
  type SupergraphSource,
} from './supergraph-source.ts';
export { reloadingSupergraph } from './supergraph-manager.ts';
