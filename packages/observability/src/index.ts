export * from './metrics.ts';
export * from './probes.ts';
export * from './service-server.ts';
export * from './order-funnel.ts';
