import http, { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, context, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { inSampledSpan } from '../src/index.ts';
import { recordedTracesOnly } from '../src/recorded-only.ts';
import {
  sampledOnlyHttp,
  UnsampledLightUndici,
  instrumentations,
  resetTracingGlobals,
  startSdkInMemory,
} from '../src/sdk.ts';

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

  it("outside a recorded trace, still runs a named patch's callback in its caller's context", async () => {
    const { sdk } = startSdkInMemory({ sampleRatio: 1 });
    // pg-pool's shape: a caller waits for a client; whoever frees one runs the waiter's callback.
    const waiting: (() => void)[] = [];
    class FakePool {
      _makeConnectPatch() {
        return (original: (cb: () => void) => void) =>
          function (this: unknown, cb: () => void) {
            original.call(this, context.bind(context.active(), cb));
          };
      }
    }
    const make = (names: string[]) =>
      recordedTracesOnly(new FakePool(), ['_makeConnectPatch'], names)._makeConnectPatch()(
        (cb) => void waiting.push(cb),
      );
    const tracer = trace.getTracer('test');
    const sampledTrace = tracer.startSpan('another order, sampled');
    const seenIn = (connect: (cb: () => void) => void) => {
      let seen: string | undefined = 'not called';
      connect(() => (seen = trace.getSpan(context.active())?.spanContext().traceId));
      // The client is freed inside the other caller's sampled trace.
      context.with(trace.setSpan(context.active(), sampledTrace), () => waiting.shift()!());
      return seen;
    };

    expect(seenIn(make([]))).toBe(sampledTrace.spanContext().traceId);
    expect(seenIn(make(['_makeConnectPatch']))).toBeUndefined();
    sampledTrace.end();
    await sdk.shutdown();
  });

  it('fails at start when the instrumentation no longer has the method', () => {
    expect(() => recordedTracesOnly(new FakeInstrumentation(), ['_gone'])).toThrow(
      /FakeInstrumentation\._gone no longer exists/,
    );
  });

  it('finds the methods it wraps in the installed pg, ioredis, graphql and undici instrumentations', () => {
    // Building them wraps those methods; a version without one throws here.
    const built = instrumentations();
    for (const instrumentation of built) instrumentation.disable();
    expect(built.length).toBeGreaterThan(0);
  });
});

const get = async (url: string) => (await fetch(url)).text();

// The wrappers below matter where an unsampled context is carried: with contexts always carried
// (TRACING_CONTEXT_WHILE_RECORDING=false). By default no such context is entered at all.
describe('undici inside a trace the sampler left out, contexts always carried', () => {
  let server: Server;
  const seen: (string | undefined)[] = [];
  afterEach(() => server?.close());

  it('puts the unsampled context on the request and records no client span; a recorded trace gets its client span', async () => {
    server = createServer((req, res) => {
      seen.push(req.headers.traceparent as string | undefined);
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const { exporter, sdk } = startSdkInMemory({ sampleRatio: 0, contextWhileRecording: false });
    const undici = new UnsampledLightUndici({ requireParentforSpans: true });
    try {
      const tracer = trace.getTracer('test');
      const unsampled = tracer.startSpan('left out by the sampler');
      const { traceId, spanId } = unsampled.spanContext();
      await context.with(trace.setSpan(context.active(), unsampled), () => get(url));
      expect(seen[0]).toBe(`00-${traceId}-${spanId}-00`);
      expect(exporter.getFinishedSpans()).toEqual([]);

      const recorded = trace.wrapSpanContext({
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: 1,
        isRemote: true,
      });
      await context.with(trace.setSpan(context.active(), recorded), () => get(url));
      // The client span ends with the response's body.
      const client = await vi.waitFor(() => {
        const [span] = exporter.getFinishedSpans();
        if (!span) throw new Error('no client span yet');
        return span;
      });
      expect(client?.kind).toBe(SpanKind.CLIENT);
      expect(seen[1]).toBe(`00-0af7651916cd43dd8448eb211c80319c-${client.spanContext().spanId}-01`);

      await get(url); // outside any trace: nothing to pass on
      expect(seen[2]).toBeUndefined();
    } finally {
      undici.disable();
      await sdk.shutdown();
    }
  });
});

describe("node's HTTP client outside a sampled trace, contexts always carried", () => {
  let server: Server;
  afterEach(() => server?.close());

  it('sends the request untouched outside a sampled trace, and with its client span and context inside one', async () => {
    const seen: (string | undefined)[] = [];
    server = createServer((req, res) => {
      seen.push(req.headers.traceparent as string | undefined);
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const { exporter, sdk } = startSdkInMemory({ sampleRatio: 0, contextWhileRecording: false });
    const instrumentation = sampledOnlyHttp({ requireParentforOutgoingSpans: true });
    instrumentation.disable(); // no module patching here: the patch is made by hand below
    const calls: unknown[][] = [];
    const original = (...args: unknown[]) => {
      calls.push(args);
      return (http.request as (...a: unknown[]) => http.ClientRequest)(...args);
    };
    // What the instrumentation puts in place of http.request when it patches the module.
    const patchedRequest = (
      instrumentation as unknown as {
        _getPatchOutgoingRequestFunction(c: string): (o: unknown) => typeof http.request;
      }
    )._getPatchOutgoingRequestFunction('http')(original);
    const send = () =>
      new Promise<void>((resolve, reject) => {
        const options = { host: '127.0.0.1', port, path: '/' };
        const req = patchedRequest(options, (res) => res.resume().on('end', resolve));
        req.on('error', reject).end();
      });
    try {
      const tracer = trace.getTracer('test');
      const unsampled = tracer.startSpan('left out by the sampler');
      await context.with(trace.setSpan(context.active(), unsampled), send);
      await send(); // outside any trace
      // Both went straight to http.request with the caller's own arguments, and no context.
      expect(seen).toEqual([undefined, undefined]);
      expect(calls.map((args) => args[0])).toEqual([
        { host: '127.0.0.1', port, path: '/' },
        { host: '127.0.0.1', port, path: '/' },
      ]);
      expect(exporter.getFinishedSpans()).toEqual([]);

      const recorded = trace.wrapSpanContext({
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: 1,
        // A local parent (a server span of this process): a remote one would be reused as it is.
        isRemote: false,
      });
      await context.with(trace.setSpan(context.active(), recorded), send);
      const client = await vi.waitFor(() => {
        const [span] = exporter.getFinishedSpans();
        if (!span) throw new Error('no client span yet');
        return span;
      });
      expect(client.kind).toBe(SpanKind.CLIENT);
      expect(seen[2]).toBe(`00-0af7651916cd43dd8448eb211c80319c-${client.spanContext().spanId}-01`);
    } finally {
      await sdk.shutdown();
    }
  });
});

describe('inSampledSpan', () => {
  it('adds no span inside an unsampled trace, one inside a sampled trace or outside any (contexts always carried)', async () => {
    const { exporter, sdk } = startSdkInMemory({ sampleRatio: 1, contextWhileRecording: false });
    try {
      const tracer = trace.getTracer('test');
      const work = async (span: unknown) => (span ? 'in a span' : 'alone');
      const unsampled = trace.wrapSpanContext({
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: 0,
        isRemote: true,
      });
      expect(
        await context.with(trace.setSpan(context.active(), unsampled), () =>
          inSampledSpan(tracer, 'step', {}, work),
        ),
      ).toBe('alone');
      expect(exporter.getFinishedSpans()).toEqual([]);

      expect(await inSampledSpan(tracer, 'step', {}, work)).toBe('in a span');
      await expect(
        inSampledSpan(tracer, 'failing step', {}, () => Promise.reject(new Error('no'))),
      ).rejects.toThrow('no');
      expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['step', 'failing step']);
    } finally {
      await sdk.shutdown();
    }
  });

  it('by default: a step given the active context is a child inside a recorded span, alone inside a sampled-out one', async () => {
    const run = async (sampleRatio: number) => {
      const { exporter, sdk } = startSdkInMemory({ sampleRatio });
      try {
        const tracer = trace.getTracer('test');
        const step = () =>
          inSampledSpan(
            tracer,
            'step',
            {},
            async (span) => (span ? 'in a span' : 'alone'),
            context.active(),
          );
        const outcome = await inSampledSpan(tracer, 'root', {}, async () => {
          await Promise.resolve(); // across an await, as the gateway's fetches are
          return step();
        });
        return { outcome, spans: exporter.getFinishedSpans() };
      } finally {
        await sdk.shutdown();
      }
    };
    const sampledOut = await run(0);
    expect(sampledOut).toEqual({ outcome: 'alone', spans: [] });
    resetTracingGlobals();
    const recorded = await run(1);
    expect(recorded.outcome).toBe('in a span');
    const [child, root] = recorded.spans;
    expect([child?.name, root?.name]).toEqual(['step', 'root']);
    expect(child?.parentSpanContext?.spanId).toBe(root?.spanContext().spanId);
  });
});
