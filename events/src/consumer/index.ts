export * from './runtime.ts';
export * from './transaction.ts';
export * from './dead-letters.ts';
export * from './lag.ts';
export * from './history.ts';
export * from './transaction-size.ts';
