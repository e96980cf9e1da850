export * from './envelope.ts';
export * from './money.ts';
export * from './orders.ts';
export * from './catalog.ts';
export * from './users.ts';
export * from './registry.ts';
