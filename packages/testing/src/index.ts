export * from './test-env.ts';
export * from './graphql-client.ts';
export * from './supergraph.ts';
export * from './fixture-store.ts';
export * from './service-db.ts';
export * from './auth-supergraph.ts';
export * from './sql-counting-catalog.ts';
export * from './checkout.ts';
