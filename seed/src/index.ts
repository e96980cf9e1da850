export * from './generate-store.ts';
export * from './load-store.ts';
export * from './rebuild-search-index.ts';
export * from './checkout-setup.ts';
