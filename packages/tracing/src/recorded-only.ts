import { TraceFlags, context, propagation, trace, type Span } from '@opentelemetry/api';

type Fn = (this: unknown, ...args: unknown[]) => unknown;

/** Whether `span` belongs to a trace the sampler keeps (its context's sampled flag). */
const sampled = (span: Span) => (span.spanContext().traceFlags & TraceFlags.SAMPLED) !== 0;

/**
 * Spans with no child that needs their context (one per SQL query, Redis command, pool
 * checkout, GraphQL parse, validation and execution) only inside a sampled trace. An
 * instrumentation otherwise does all its work for every call of a request the sampler left out
 * (a non-recording span still gets its attributes worked out, its callbacks wrapped and its
 * context entered): at 1 % sampling, the pg instrumentation alone was 8 % of the saga worker's
 * CPU for spans nobody keeps. Skipping them loses nothing: what runs inside keeps the request's
 * context. Outgoing HTTP must still tell the callee that the trace is not sampled (see
 * propagateOnlyInUnrecordedTraces).
 *
 * `factories` are the instrumentation's own methods that return a patch (`original =>
 * patched`); each patch is wrapped to call the original outside a sampled trace. They are
 * internal to the instrumentation: a missing one fails at start, naming it, so an upgrade
 * cannot silently turn this off.
 */
export function recordedTracesOnly<T extends object>(instrumentation: T, factories: string[]): T {
  const target = instrumentation as unknown as Record<string, unknown>;
  for (const name of factories) {
    const make = target[name];
    if (typeof make !== 'function')
      throw new Error(
        `${instrumentation.constructor.name}.${name} no longer exists: review recordedTracesOnly (packages/tracing) for this version`,
      );
    target[name] = function (this: unknown, ...factoryArgs: unknown[]) {
      const wrap = (make as Fn).apply(this, factoryArgs) as (original: Fn) => Fn;
      return (original: Fn) => {
        const patched = wrap(original);
        return function (this: unknown, ...args: unknown[]) {
          const span = trace.getSpan(context.active());
          return span && sampled(span) ? patched.apply(this, args) : original.apply(this, args);
        };
      };
    };
  }
  return instrumentation;
}

/** The shape of an instrumentation whose client hook receives each outgoing request. */
interface RequestHookInstrumentation {
  prototype: object;
}

/**
 * An outgoing-request instrumentation (`Base`) made lighter inside a trace the sampler left out:
 * no client span (its attributes, URL parsing, timing and bookkeeping), only the trace context
 * put on the request, so the callee learns that the trace is not sampled and follows. `hook` is
 * the instrumentation's method that sees each new request; `addHeader` puts one header on it.
 * Inside a sampled trace the instrumentation runs as it is; outside any trace nothing runs (the
 * instrumentation must be configured to make spans only under a parent).
 *
 * A subclass rather than a patch of the instance: the instrumentation binds its hook when it is
 * constructed.
 */
export function propagateOnlyInUnrecordedTraces<B extends RequestHookInstrumentation>(
  Base: B,
  hook: string,
  addHeader: (message: unknown, name: string, value: string) => void,
): B {
  const original = (Base.prototype as Record<string, unknown>)[hook];
  if (typeof original !== 'function')
    throw new Error(
      `${(Base as unknown as { name: string }).name}.${hook} no longer exists: review propagateOnlyInUnrecordedTraces (packages/tracing) for this version`,
    );
  // Only its prototype differs.
  const Light = class extends (Base as unknown as new (...args: unknown[]) => object) {};
  Object.defineProperty(Light.prototype, hook, {
    configurable: true,
    writable: true,
    value(this: unknown, message: unknown) {
      const active = context.active();
      const span = trace.getSpan(active);
      // No trace: nothing to pass on, and no span to make (the instrumentation requires a parent).
      if (!span || !trace.isSpanContextValid(span.spanContext())) return undefined;
      if (sampled(span)) return (original as Fn).call(this, message);
      const headers: Record<string, string> = {};
      propagation.inject(active, headers);
      for (const [name, value] of Object.entries(headers)) addHeader(message, name, value);
      return undefined;
    },
  });
  return Light as unknown as B;
}
