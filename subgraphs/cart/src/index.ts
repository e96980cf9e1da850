export { startCartService, cartTypeDefs } from './service.ts';
export { loadCartConfig, type CartConfig } from './config.ts';
