export * from './topics.ts';
export * from './contracts/index.ts';
export * from './outbox/index.ts';
export * from './relay/index.ts';
export * from './shared/backoff.ts';
export * from './shared/chaos.ts';
export * from './consumer/index.ts';
