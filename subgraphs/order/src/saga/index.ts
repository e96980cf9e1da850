export * from './order-saga.ts';
export * from './payments.ts';
