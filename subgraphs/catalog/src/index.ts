export { startCatalogService, catalogTypeDefs, type CatalogServiceOptions } from './service.ts';
export { loadCatalogConfig, type CatalogConfig } from './config.ts';
