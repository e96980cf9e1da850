export * from './order-saga.ts';
export * from './timeouts.ts';
export { applyRequestedOrderEvent } from '../data/saga-writes.ts';
