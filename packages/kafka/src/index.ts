export * from './client.ts';
export * from './topics-admin.ts';
