export * from '../data/carrier-writes.ts';
