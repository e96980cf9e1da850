export * from '../data/carrier-writes.ts';
export { announceOrderChange, orderChannel } from '../events/order-updates.ts';
