export * from './generate-store.ts';
export * from './load-store.ts';
