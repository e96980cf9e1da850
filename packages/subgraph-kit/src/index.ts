export * from './errors.ts';
export * from './identity-context.ts';
export * from './subgraph-settings.ts';
export * from './start-subgraph.ts';
export * from './ids.ts';
export * from './pagination.ts';
export * from './money.ts';
export * from './product-filter.ts';
