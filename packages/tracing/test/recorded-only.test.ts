import { context, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { recordedTracesOnly } from '../src/recorded-only.ts';
import { instrumentations, resetTracingGlobals, startSdkInMemory } from '../src/sdk.ts';

afterEach(resetTracingGlobals);

/** An instrumentation's shape: a method that makes the patch of a client method. */
class FakeInstrumentation {
  patchedCalls = 0;
  _makeQueryPatch(label: string) {
    const count = () => this.patchedCalls++;
    return (original: (sql: string) => string) =>
      function (this: unknown, sql: string) {
        count();
        return `${label}:${original.call(this, sql)}`;
      };
  }
}

describe('recordedTracesOnly', () => {
  it('runs the patch inside a recorded trace and the original elsewhere', async () => {
    const { sdk } = startSdkInMemory({ sampleRatio: 0 });
    const instrumentation = recordedTracesOnly(new FakeInstrumentation(), ['_makeQueryPatch']);
    const query = instrumentation._makeQueryPatch('traced')(function (this: unknown, sql) {
      return `ran ${sql}`;
    });
    const tracer = trace.getTracer('test');

    expect(query('outside any trace')).toBe('ran outside any trace');
    const unsampled = tracer.startSpan('left out by the sampler');
    expect(unsampled.isRecording()).toBe(false);
    expect(context.with(trace.setSpan(context.active(), unsampled), () => query('a'))).toBe(
      'ran a',
    );
    expect(instrumentation.patchedCalls).toBe(0);

    const recorded = trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      isRemote: true,
    });
    const child = tracer.startSpan('recorded', {}, trace.setSpan(context.active(), recorded));
    expect(child.isRecording()).toBe(true);
    expect(context.with(trace.setSpan(context.active(), child), () => query('b'))).toBe(
      'traced:ran b',
    );
    expect(instrumentation.patchedCalls).toBe(1);
    await sdk.shutdown();
  });

  it('fails at start when the instrumentation no longer has the method', () => {
    expect(() => recordedTracesOnly(new FakeInstrumentation(), ['_gone'])).toThrow(
      /FakeInstrumentation\._gone no longer exists/,
    );
  });

  it('finds the methods it wraps in the installed pg and ioredis instrumentations', () => {
    // Building them wraps those methods; a version without one throws here.
    const built = instrumentations();
    for (const instrumentation of built) instrumentation.disable();
    expect(built.length).toBeGreaterThan(0);
  });
});
