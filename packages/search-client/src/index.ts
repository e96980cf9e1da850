export * from './client.ts';
export * from './products-index.ts';
