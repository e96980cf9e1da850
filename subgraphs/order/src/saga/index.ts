export * from './order-saga.ts';
export * from './timeouts.ts';
