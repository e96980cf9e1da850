export { startOrderService, orderTypeDefs } from './service.ts';
export { loadOrderConfig, type OrderConfig } from './config.ts';
