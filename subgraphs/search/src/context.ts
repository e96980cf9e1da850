import type { SearchClient } from '@shop/search-client';
import type { BaseSubgraphContext } from '@shop/subgraph-kit';

export interface SearchContext extends BaseSubgraphContext {
  search: SearchClient;
  indexPrefix: string;
}
