export { startUserService, userTypeDefs } from './service.ts';
export { loadUserConfig, type UserConfig } from './config.ts';
