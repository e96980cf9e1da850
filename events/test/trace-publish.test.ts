import { afterEach, describe, expect, it } from 'vitest';
import { resetTracingGlobals, startSdkInMemory } from '@shop/tracing/sdk';
import { startPublishSpans, type TracedRow } from '../src/relay/trace-publish.ts';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const WRITER = 'b7ad6b7169203331';

const row = (traceparent: string | null, tracestate: string | null = null): TracedRow => ({
  id: '3f1c1a52-4a4a-4b8e-9d6f-6b1f4c0f9a11',
  aggregate_id: 'order-1',
  topic: 'orders',
  type: 'OrderPlaced',
  created_at: new Date(Date.now() - 40),
  traceparent,
  tracestate,
});

afterEach(() => {
  resetTracingGlobals();
});

describe('the relay publish spans', () => {
  it('publishes a traced row in a span of its trace, and sends that span as the parent', async () => {
    const { exporter, sdk } = startSdkInMemory();
    const traced = row(`00-${TRACE}-${WRITER}-01`, 'shop=1');
    const untraced = row(null);
    const refused = row(`00-${TRACE}-${WRITER}-01`);
    const spans = startPublishSpans([traced, untraced, refused]);
    expect(spans.headersOf(untraced)).toEqual({});
    const headers = spans.headersOf(traced);
    spans.end({ rejected: new Map([[refused, 'Kafka rejected it (MESSAGE_TOO_LARGE)']]) });

    const [published, rejected] = exporter.getFinishedSpans();
    expect(exporter.getFinishedSpans()).toHaveLength(2);
    expect(published!.name).toBe('publish OrderPlaced');
    expect(published!.spanContext().traceId).toBe(TRACE);
    expect(published!.parentSpanContext?.spanId).toBe(WRITER);
    expect(published!.attributes['messaging.destination.name']).toBe('orders');
    expect(published!.attributes['outbox.wait_ms']).toBeGreaterThanOrEqual(40);
    expect(headers).toEqual({
      traceparent: `00-${TRACE}-${published!.spanContext().spanId}-01`,
      tracestate: 'shop=1',
    });
    expect(published!.status.code).toBe(0);
    expect(rejected!.status).toEqual({ code: 2, message: 'Kafka rejected it (MESSAGE_TOO_LARGE)' });
    await sdk.shutdown();
  });

  it('makes no span for a row of a trace the sampler left out, and passes its decision on', async () => {
    const { exporter, sdk } = startSdkInMemory();
    const unsampled = row(`00-${TRACE}-${WRITER}-00`);
    const spans = startPublishSpans([unsampled]);
    expect(spans.headersOf(unsampled)).toEqual({ traceparent: `00-${TRACE}-${WRITER}-00` });
    spans.end({});
    expect(exporter.getFinishedSpans()).toEqual([]);
    await sdk.shutdown();
  });

  it('passes the stored context on as it is when its own tracing is off', () => {
    const traced = row(`00-${TRACE}-${WRITER}-01`, 'shop=1');
    const spans = startPublishSpans([traced, row(null)]);
    expect(spans.headersOf(traced)).toEqual({
      traceparent: `00-${TRACE}-${WRITER}-01`,
      tracestate: 'shop=1',
    });
    spans.end({ error: new Error('broker down') });
  });
});
