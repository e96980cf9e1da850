import { ROOT_CONTEXT, context, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import { afterEach, describe, expect, it } from 'vitest';
import { SampledWorkContextManager } from '../src/sampled-work-context.ts';
import { resetTracingGlobals } from '../src/sdk.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Whether the manager's AsyncLocalStorage is on (Node 20: on, its async hooks run for every
 * promise of the process; `enabled` is the instance's own flag).
 */
const storageOn = (manager: SampledWorkContextManager) =>
  (manager as unknown as { _asyncLocalStorage: { enabled: boolean } })._asyncLocalStorage.enabled;

describe('contexts carried only while a recorded span is open (TRACING_CONTEXT_WHILE_RECORDING)', () => {
  afterEach(() => resetTracingGlobals());

  function start() {
    const manager = new SampledWorkContextManager();
    const exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({
      spanProcessors: [manager.processor, new SimpleSpanProcessor(exporter)],
    });
    provider.register({ contextManager: manager });
    return { manager, exporter, tracer: trace.getTracer('test') };
  }

  it('carries a recorded span across awaits, its children parented to it', async () => {
    const { manager, exporter, tracer } = start();
    expect(manager.carrying).toBe(false);
    await tracer.startActiveSpan('outer', async (outer) => {
      expect(manager.carrying).toBe(true);
      await tick();
      await tracer.startActiveSpan('inner', async (inner) => {
        await tick();
        expect(trace.getActiveSpan()).toBe(inner);
        inner.end();
      });
      await tick();
      expect(trace.getActiveSpan()).toBe(outer);
      outer.end();
    });
    expect(manager.carrying).toBe(false);
    const [inner, outer] = exporter.getFinishedSpans();
    expect(inner!.parentSpanContext?.spanId).toBe(outer!.spanContext().spanId);
  });

  it('enters no context while no recorded span is open, so async resources get no store', async () => {
    const { manager } = start();
    const unsampled = trace.wrapSpanContext({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 0,
      isRemote: true,
    });
    const seen = await context.with(trace.setSpan(ROOT_CONTEXT, unsampled), async () => {
      await tick();
      return { active: context.active(), on: storageOn(manager) };
    });
    // The documented loss: the unsampled decision is not carried outside recorded work.
    expect(seen.active).toBe(ROOT_CONTEXT);
    expect(seen.on).toBe(false);
    expect(manager.carrying).toBe(false);
  });

  it('stops carrying once the last recorded span ends', async () => {
    const { manager, tracer } = start();
    const span = tracer.startSpan('work');
    const inside = await context.with(trace.setSpan(ROOT_CONTEXT, span), async () => {
      await tick();
      return { active: trace.getActiveSpan(), on: storageOn(manager) };
    });
    expect(inside.active).toBe(span);
    expect(inside.on).toBe(true);
    span.end();
    expect(manager.carrying).toBe(false);
    const after = await context.with(trace.setSpan(ROOT_CONTEXT, span), async () => {
      await tick();
      return { active: trace.getActiveSpan(), on: storageOn(manager) };
    });
    expect(after.active).toBeUndefined();
    expect(after.on).toBe(false);
  });
});
