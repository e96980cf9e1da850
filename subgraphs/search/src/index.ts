export { startSearchService, searchTypeDefs } from './service.ts';
export { loadSearchConfig, type SearchConfig } from './config.ts';
