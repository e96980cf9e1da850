export * from './order-saga.ts';
export * from './payments.ts';
export * from './timeouts.ts';
