import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { OrderCancelled, OrderPlaced, createEvent } from '@shop/events';
import { cancelReasonOf, createSagaMetrics } from '../src/saga-metrics.ts';

const ORDER = '11111111-1111-4111-8111-111111111111';
const USER = '22222222-2222-4222-8222-222222222222';

async function values(registry: Registry, name: string) {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return metric?.values ?? [];
}

describe('saga metrics', () => {
  it('sorts cancellations by who cancelled', () => {
    expect(cancelReasonOf('stock rejected: not enough stock for Reel')).toBe('stock_rejected');
    expect(cancelReasonOf('payment failed: card declined')).toBe('payment_failed');
    expect(cancelReasonOf('timed out waiting for payment')).toBe('timeout');
    expect(cancelReasonOf('changed my mind')).toBe('customer');
  });

  it('times each attempt of a step from its event and counts the funnel once it succeeded', async () => {
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
    const cancelled = createEvent(OrderCancelled, ORDER, {
      orderId: ORDER,
      userId: USER,
      reason: 'payment failed: card declined',
      previousStatus: 'STOCK_RESERVED',
    });
    await metrics.timed('catalog-stock', async () => {})(cancelled, {});
    // The order-status party sees OrderCancelled too, but the funnel counts the stock party's.
    await metrics.timed('order-status', async () => {})(cancelled, {});
    metrics.completed();

    const counts = await values(registry, 'saga_step_duration_seconds');
    const count = (step: string, outcome: string) =>
      counts.find(
        (v) =>
          v.metricName === 'saga_step_duration_seconds_count' &&
          v.labels.step === step &&
          v.labels.outcome === outcome,
      )?.value;
    expect(count('catalog-stock:OrderPlaced', 'error')).toBe(1);
    expect(count('catalog-stock:OrderPlaced', 'ok')).toBe(1);
    const sum = counts.find(
      (v) =>
        v.metricName === 'saga_step_duration_seconds_sum' &&
        v.labels.step === 'catalog-stock:OrderPlaced',
    )!.value;
    expect(sum).toBeGreaterThanOrEqual(2);
    expect(
      (await values(registry, 'saga_orders_total')).map((v) => [
        v.labels.event,
        v.labels.reason,
        v.value,
      ]),
    ).toEqual([
      ['placed', '', 1],
      ['cancelled', 'payment_failed', 1],
      ['completed', '', 1],
    ]);
  });
});
