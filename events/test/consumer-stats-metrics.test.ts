import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { exportConsumerStats } from '../src/worker/serve-worker.ts';

const sample = async (registry: Registry, name: string, consumer: string) => {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return metric?.values.find((v) => v.labels.consumer === consumer)?.value;
};

describe('consumer statistics on /metrics', () => {
  it('exports running totals as counters and levels as gauges, per consumer', async () => {
    const registry = new Registry();
    const a = { handled: 0, retries: 0, pendingRows: 7 };
    const b = { handled: 5, retries: 1, pendingRows: 0 };
    exportConsumerStats(registry, {
      prefix: 'worker_messages',
      help: 'test',
      sources: [
        { label: 'a', stats: a },
        { label: 'b', stats: b },
      ],
      levels: ['pendingRows'],
    });
    const types = Object.fromEntries(
      (await registry.getMetricsAsJSON()).map((m) => [m.name, m.type]),
    );
    expect(types).toEqual({
      worker_messages_handled_total: 'counter',
      worker_messages_retries_total: 'counter',
      worker_messages_pending_rows: 'gauge',
    });
    expect(await sample(registry, 'worker_messages_handled_total', 'a')).toBe(0);
    expect(await sample(registry, 'worker_messages_handled_total', 'b')).toBe(5);

    a.handled += 3;
    b.handled += 2;
    a.pendingRows = 2;
    // Scraped twice: a counter follows the total, never adds the same growth twice.
    await registry.metrics();
    expect(await sample(registry, 'worker_messages_handled_total', 'a')).toBe(3);
    expect(await sample(registry, 'worker_messages_handled_total', 'b')).toBe(7);
    expect(await sample(registry, 'worker_messages_retries_total', 'b')).toBe(1);
    expect(await sample(registry, 'worker_messages_pending_rows', 'a')).toBe(2);
  });
});
