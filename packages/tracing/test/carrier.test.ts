import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import {
  activeTraceIds,
  contextFromCarrier,
  currentTraceCarrier,
  linkFromCarrier,
  traceHeadersOf,
  tracingEnabled,
  tracingNodeArgs,
} from '../src/index.ts';
import { resetTracingGlobals, startSdkInMemory } from '../src/sdk.ts';

const PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const UNSAMPLED = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00';

afterEach(() => {
  resetTracingGlobals();
});

describe('with tracing off (nothing registered)', () => {
  it('injects nothing and extracts the root context', () => {
    expect(currentTraceCarrier()).toEqual({});
    expect(contextFromCarrier({ traceparent: PARENT })).toBe(ROOT_CONTEXT);
    expect(linkFromCarrier({ traceparent: PARENT })).toEqual([]);
    expect(activeTraceIds()).toEqual({});
  });
});

describe('with the SDK started', () => {
  it('carries the active span as traceparent and tracestate', async () => {
    const { sdk } = startSdkInMemory();
    const tracer = trace.getTracer('test');
    const parent = contextFromCarrier({ traceparent: PARENT, tracestate: 'shop=1' });
    tracer.startActiveSpan('work', {}, parent, (span) => {
      const carrier = currentTraceCarrier();
      const { traceId, spanId } = span.spanContext();
      expect(carrier).toEqual({ traceparent: `00-${traceId}-${spanId}-01`, tracestate: 'shop=1' });
      expect(traceId).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(activeTraceIds()).toEqual({ trace_id: traceId, span_id: spanId });
      span.end();
    });
    await sdk.shutdown();
  });

  it('makes the carried span the parent of what follows', async () => {
    const { exporter, sdk } = startSdkInMemory();
    trace
      .getTracer('test')
      .startSpan('child', {}, contextFromCarrier({ traceparent: PARENT }))
      .end();
    const [child] = exporter.getFinishedSpans();
    expect(child!.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(child!.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    await sdk.shutdown();
  });

  it('follows an unsampled parent: nothing recorded, and by default no context carried on', async () => {
    const { exporter, sdk } = startSdkInMemory();
    const tracer = trace.getTracer('test');
    tracer.startActiveSpan(
      'skipped',
      {},
      contextFromCarrier({ traceparent: UNSAMPLED }),
      (span) => {
        expect(span.isRecording()).toBe(false);
        // No recorded span open: no context entered, so nothing to pass on (absence is how
        // every receiver here learns that a trace is not sampled).
        expect(currentTraceCarrier()).toEqual({});
        span.end();
      },
    );
    expect(exporter.getFinishedSpans()).toEqual([]);
    await sdk.shutdown();
  });

  it('carries the unsampled decision on with contexts always carried (TRACING_CONTEXT_WHILE_RECORDING=false)', async () => {
    const { exporter, sdk } = startSdkInMemory({ contextWhileRecording: false });
    const tracer = trace.getTracer('test');
    tracer.startActiveSpan(
      'skipped',
      {},
      contextFromCarrier({ traceparent: UNSAMPLED }),
      (span) => {
        expect(span.isRecording()).toBe(false);
        expect(currentTraceCarrier().traceparent).toMatch(/-00$/);
        span.end();
      },
    );
    expect(exporter.getFinishedSpans()).toEqual([]);
    await sdk.shutdown();
  });

  it('reads Kafka headers (Buffers, repeated headers) and ignores malformed ones', async () => {
    const { sdk } = startSdkInMemory();
    expect(
      traceHeadersOf({
        traceparent: Buffer.from(PARENT),
        tracestate: [Buffer.from('a=1'), Buffer.from('b=2')],
        'event-type': Buffer.from('OrderPlaced'),
      }),
    ).toEqual({ traceparent: PARENT, tracestate: 'a=1' });
    expect(traceHeadersOf(undefined)).toEqual({});
    expect(trace.getSpanContext(contextFromCarrier({ traceparent: 'garbage' }))).toBeUndefined();
    expect(linkFromCarrier({ traceparent: 'garbage' })).toEqual([]);
    expect(linkFromCarrier({ traceparent: PARENT })[0]!.context.spanId).toBe('b7ad6b7169203331');
    await sdk.shutdown();
  });
});

describe('sampling', () => {
  it('records a share of new traces, and follows the parent of a continued one', async () => {
    const { exporter, sdk } = startSdkInMemory({ sampleRatio: 0 });
    const tracer = trace.getTracer('test');
    const root = tracer.startSpan('new trace');
    expect(root.isRecording()).toBe(false);
    root.end();
    const continued = tracer.startSpan(
      'continued',
      {},
      contextFromCarrier({ traceparent: PARENT }),
    );
    expect(continued.isRecording()).toBe(true);
    continued.end();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['continued']);
    await sdk.shutdown();
  });

  it('at the edge, decides by the ratio and keeps the trace id, whatever the client flags', async () => {
    const { exporter, sdk } = startSdkInMemory({ sampleRatio: 0, followRemoteSampling: false });
    const tracer = trace.getTracer('test');
    const flagged = tracer.startSpan('flagged', {}, contextFromCarrier({ traceparent: PARENT }));
    expect(flagged.isRecording()).toBe(false);
    expect(flagged.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    flagged.end();
    expect(exporter.getFinishedSpans()).toEqual([]);
    await sdk.shutdown();
    resetTracingGlobals();

    // At ratio 1 the same request is recorded, whatever its flag says.
    const { exporter: recorded, sdk: all } = startSdkInMemory({ followRemoteSampling: false });
    const unflagged = trace
      .getTracer('test')
      .startSpan('unflagged', {}, contextFromCarrier({ traceparent: UNSAMPLED }));
    expect(unflagged.isRecording()).toBe(true);
    unflagged.end();
    expect(recorded.getFinishedSpans().map((s) => s.name)).toEqual(['unflagged']);
    await all.shutdown();
  });
});

describe('settings', () => {
  it('is off unless TRACING_ENABLED says on, and only then preloads', () => {
    expect(tracingEnabled({})).toBe(false);
    expect(tracingEnabled({ TRACING_ENABLED: 'true' })).toBe(true);
    expect(tracingEnabled({ TRACING_ENABLED: 'maybe' })).toBe(false);
    expect(tracingNodeArgs({}, 'built')).toEqual([]);
    const [flag, preload] = tracingNodeArgs({ TRACING_ENABLED: '1' }, 'built');
    expect(flag).toBe('--import');
    expect(preload).toMatch(/packages\/tracing\/dist\/preload\.js$/);
    expect(tracingNodeArgs({ TRACING_ENABLED: 'on' }, 'source')[1]).toMatch(/src\/preload\.ts$/);
  });
});
