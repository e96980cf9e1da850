/**
 * What the saga did, for Prometheus: each step's duration and outcome, and the order funnel.
 *
 * - `saga_step_duration_seconds{step,outcome}`: from the event that caused a step (its
 *   `occurredAt`, stamped when the producing transaction wrote it) to the step's handler being
 *   done, so it holds the relay, Kafka and the handler: what a customer waits per step. `step`
 *   is `<party>:<event type>`; `outcome` is `ok`, or `error` for an attempt that failed (and is
 *   retried or dead-lettered).
 * - `saga_orders_total{event,reason}`: orders `placed` (the first OrderPlaced the stock party
 *   handles), `completed`, and `cancelled` by reason category (every cancellation passes the
 *   stock party, which gives the stock back), so completed + cancelled catches up with placed.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { AnyEvent } from '@shop/events';

export type CancelReason = 'stock_rejected' | 'payment_failed' | 'timeout' | 'customer';

/** The reason category of an OrderCancelled reason (free text: its prefix says who cancelled). */
export function cancelReasonOf(reason: string): CancelReason {
  if (reason.startsWith('stock rejected')) return 'stock_rejected';
  if (reason.startsWith('payment failed')) return 'payment_failed';
  if (reason.startsWith('timed out')) return 'timeout';
  return 'customer';
}

export interface SagaMetrics {
  /** Wraps a party's handler: times each attempt and counts the funnel's events. */
  timed<T>(
    party: string,
    handler: (event: AnyEvent, ctx: T) => Promise<void>,
  ): (event: AnyEvent, ctx: T) => Promise<void>;
  completed(): void;
}

export function createSagaMetrics(registry: Registry): SagaMetrics {
  const steps = new Histogram({
    name: 'saga_step_duration_seconds',
    help: 'From the event that caused a saga step to the step done, by step and outcome',
    labelNames: ['step', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const orders = new Counter({
    name: 'saga_orders_total',
    help: 'The order funnel: orders placed, completed and cancelled (by reason category)',
    labelNames: ['event', 'reason'],
    registers: [registry],
  });
  return {
    timed: (party, handler) => async (event, ctx) => {
      const step = `${party}:${event.type}`;
      const since = Date.parse(event.occurredAt);
      const seconds = () => Math.max(0, (Date.now() - since) / 1000);
      try {
        await handler(event, ctx);
      } catch (error) {
        steps.observe({ step, outcome: 'error' }, seconds());
        throw error;
      }
      steps.observe({ step, outcome: 'ok' }, seconds());
      if (party !== 'catalog-stock') return;
      if (event.type === 'OrderPlaced') orders.inc({ event: 'placed', reason: '' });
      else if (event.type === 'OrderCancelled')
        orders.inc({ event: 'cancelled', reason: cancelReasonOf(event.payload.reason) });
    },
    completed: () => orders.inc({ event: 'completed', reason: '' }),
  };
}
