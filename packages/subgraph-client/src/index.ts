export * from './client.ts';
export * from './entities.ts';
export * from './errors.ts';
