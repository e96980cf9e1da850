import { Counter, type Registry } from 'prom-client';

export type FunnelEvent = 'placed' | 'completed' | 'cancelled';
export type CancelReason = 'stock_rejected' | 'payment_failed' | 'timeout' | 'customer' | 'admin';

/**
 * The order funnel, `orders_total{event,reason}`: each count is a change this system's order
 * database committed, made by the process that made it (the order service: placed, cancelled
 * by the customer or an administrator; the saga worker: completed, cancelled by the stock, the payment or a step
 * timeout), so Prometheus sums it over both. Orders of other systems sharing the broker never
 * count. `reason` is set for `cancelled` only.
 */
export function orderFunnel(registry: Registry) {
  const counter = new Counter({
    name: 'orders_total',
    help: 'The order funnel: orders placed, completed and cancelled (by reason category)',
    labelNames: ['event', 'reason'],
    registers: [registry],
  });
  return {
    placed: () => counter.inc({ event: 'placed', reason: '' }),
    completed: () => counter.inc({ event: 'completed', reason: '' }),
    cancelled: (reason: CancelReason, count = 1) =>
      counter.inc({ event: 'cancelled', reason }, count),
  };
}

export type OrderFunnel = ReturnType<typeof orderFunnel>;
