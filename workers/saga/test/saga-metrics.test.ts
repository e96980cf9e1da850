import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { OrderPlaced, createEvent } from '@shop/events';
import { createSagaMetrics } from '../src/saga-metrics.ts';

const ORDER = '11111111-1111-4111-8111-111111111111';
const USER = '22222222-2222-4222-8222-222222222222';

/** The value of one series in Prometheus' text format. */
async function sample(registry: Registry, series: RegExp): Promise<number | undefined> {
  const line = (await registry.metrics()).split('\n').find((l) => series.test(l));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

describe('saga metrics', () => {
  it('times each attempt of a step from the event that caused it, failed ones as errors', async () => {
    const registry = new Registry();
    const metrics = createSagaMetrics(registry);
    const placed = createEvent(
      OrderPlaced,
      ORDER,
      {
        orderId: ORDER,
        userId: USER,
        items: [{ productId: ORDER, quantity: 1, unitPrice: { amount: '1.00', currency: 'USD' } }],
        total: { amount: '1.00', currency: 'USD' },
      },
      { occurredAt: new Date(Date.now() - 2000) },
    );
    let attempts = 0;
    const flaky = metrics.timed('catalog-stock', async () => {
      if (attempts++ === 0) throw new Error('first attempt fails');
    });
    await expect(flaky(placed, {})).rejects.toThrow('first attempt fails');
    await flaky(placed, {});
    const step = 'step="catalog-stock:OrderPlaced"';
    expect(
      await sample(
        registry,
        new RegExp(`^saga_step_duration_seconds_count\\{${step},outcome="error"`),
      ),
    ).toBe(1);
    expect(
      await sample(
        registry,
        new RegExp(`^saga_step_duration_seconds_count\\{${step},outcome="ok"`),
      ),
    ).toBe(1);
    // Measured from the event's time: both attempts waited at least the 2 s since it.
    expect(
      await sample(registry, new RegExp(`^saga_step_duration_seconds_sum\\{${step},outcome="ok"`)),
    ).toBeGreaterThanOrEqual(2);
  });

  it('counts its part of the order funnel by event and reason', async () => {
    const registry = new Registry();
    const { funnel } = createSagaMetrics(registry);
    funnel.completed();
    funnel.cancelled('timeout', 3);
    funnel.cancelled('payment_failed');
    expect(await sample(registry, /^orders_total\{event="completed"/)).toBe(1);
    expect(await sample(registry, /^orders_total\{event="cancelled",reason="timeout"/)).toBe(3);
    expect(await sample(registry, /^orders_total\{event="cancelled",reason="payment_failed"/)).toBe(
      1,
    );
  });
});
