export * from './client.ts';
export * from './schema.ts';
export * from './rows.ts';
export * from './writer.ts';
export * from './queries.ts';
export * from './window.ts';
export * from './days.ts';
export * from './startup.ts';
