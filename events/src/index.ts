export * from './topics.ts';
export * from './contracts/index.ts';
