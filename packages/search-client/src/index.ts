export * from './client.ts';
export * from './indices.ts';
export * from './price-buckets.ts';
export * from './products-index.ts';
export * from './product-search.ts';
export * from './sellers-index.ts';
export * from './reviews-index.ts';
