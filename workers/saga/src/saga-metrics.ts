/**
 * What the saga did, for Prometheus: each step's duration and outcome, and its part of the
 * order funnel (`orders_total`, @shop/observability: completed, cancelled by the stock, the
 * payment or a step timeout, each counted after the commit that made it).
 *
 * `saga_step_duration_seconds{step,outcome}` runs from the event that caused a step (its
 * `occurredAt`, stamped when the producing transaction wrote it) to the step's handler being
 * done, so it holds the relay, Kafka and the handler: what a customer waits per step. `step` is
 * `<party>:<event type>`; `outcome` is `ok`, or `error` for an attempt that failed (and is
 * retried or dead-lettered).
 */
import { Histogram, type Registry } from 'prom-client';
import type { AnyEvent } from '@shop/events';
import { orderFunnel, type OrderFunnel } from '@shop/observability';

export interface SagaMetrics {
  /** Wraps a party's handler: times each attempt. */
  timed<T>(
    party: string,
    handler: (event: AnyEvent, ctx: T) => Promise<void>,
  ): (event: AnyEvent, ctx: T) => Promise<void>;
  funnel: OrderFunnel;
}

export function createSagaMetrics(registry: Registry): SagaMetrics {
  const steps = new Histogram({
    name: 'saga_step_duration_seconds',
    help: 'From the event that caused a saga step to the step done, by step and outcome',
    labelNames: ['step', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
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
    },
    funnel: orderFunnel(registry),
  };
}
