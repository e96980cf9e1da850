export { startCatalogService, catalogTypeDefs } from './service.ts';
export { loadCatalogConfig, type CatalogConfig } from './config.ts';
