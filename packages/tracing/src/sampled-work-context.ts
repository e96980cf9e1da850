/**
 * The context manager tracing uses by default (TRACING_CONTEXT_WHILE_RECORDING): AsyncLocalStorage,
 * as OpenTelemetry's own, but only while this process has a recorded span open. On Node 20,
 * AsyncLocalStorage carries a context across `await` with async hooks, which once on run for
 * every promise of the process, traced or not: at 1 % sampling the first sampled trace turned
 * them on for good, and they were most of what tracing still cost (0.5–1.2 ms of CPU per order
 * in each process at 10 orders/s, CPU profiles, 2026-11-30).
 *
 * Every recorded span counts itself here while it is open (its processor). With none open, the
 * hooks are off and no context is entered: what runs sees the root context. Recording a trace's
 * work opens a span first (a request's server span, a consumer's attempt span, the relay's
 * publish span), so its context is carried while that span is open.
 *
 * What it gives up: a context that holds no recorded span of this process (an unsampled
 * decision, a remote parent entered by hand) is not carried, so what runs inside it writes no
 * `traceparent …-00`. Nothing here needs one: an unsampled trace is already told by the absence
 * of a context. The edge leaves a request it does not trace with no context at all, and behind
 * it a request, a Kafka message or an outbox row without a sampled `traceparent` is left out
 * (incoming-sampling.ts, the consumers' attempt spans, the relay's publish spans). Work a trace
 * leaves running after its last open span ended goes on with no context: what it does there is
 * left out of the trace.
 */
import { ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-node';

export class SampledWorkContextManager extends AsyncLocalStorageContextManager {
  private openSpans = 0;

  /** Counts the recorded spans open (register it with the tracer provider). */
  readonly processor: SpanProcessor = {
    onStart: () => {
      this.openSpans++;
    },
    onEnd: () => {
      // AsyncLocalStorage's disable(): its hooks go off until the next context entered.
      if (--this.openSpans === 0) super.disable();
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };

  /** Whether contexts are carried now: a recorded span is open in this process. */
  get carrying(): boolean {
    return this.openSpans > 0;
  }

  override active(): Context {
    return this.openSpans > 0 ? super.active() : ROOT_CONTEXT;
  }

  override with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    if (this.openSpans > 0) return super.with(context, fn, thisArg, ...args);
    return thisArg === undefined || thisArg === null
      ? fn(...args)
      : (fn as (this: unknown, ...a: A) => ReturnType<F>).apply(thisArg, args);
  }

  override attach(context: Context) {
    if (this.openSpans > 0) return super.attach(context);
    return { dispose: () => {} };
  }
}
