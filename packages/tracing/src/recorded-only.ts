import type { IncomingMessage } from 'node:http';
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
 * context. Outgoing HTTP that crosses the edge must still tell the callee that the trace is
 * not sampled (see propagateOnlyInUnrecordedTraces); behind the edge it need not (sdk.ts).
 *
 * `factories` are the instrumentation's own methods that return a patch (`original =>
 * patched`); each patch is wrapped to call the original outside a sampled trace. They are
 * internal to the instrumentation: a missing one fails at start, naming it, so an upgrade
 * cannot silently turn this off.
 *
 * `callbacksInCallerContext` names those of them whose callback must still run in the caller's
 * context outside a sampled trace, as the instrumentation's patch does inside one: pg-pool hands
 * a free client to whichever caller waits first, from whatever context freed it (another
 * caller's query callback, a nextTick scheduled by another caller), so a waiter's callback ran
 * in the context of someone else's sampled trace and its queries were recorded there (traces of
 * one order that went on for the rest of the run, with other orders' queries in them).
 */
export function recordedTracesOnly<T extends object>(
  instrumentation: T,
  factories: string[],
  callbacksInCallerContext: string[] = [],
): T {
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
        const keepContext = callbacksInCallerContext.includes(name);
        return function (this: unknown, ...args: unknown[]) {
          const active = context.active();
          const span = trace.getSpan(active);
          if (span && sampled(span)) return patched.apply(this, args);
          const last = args.length - 1;
          if (keepContext && typeof args[last] === 'function')
            args[last] = context.bind(active, args[last] as Fn);
          return original.apply(this, args);
        };
      };
    };
  }
  return instrumentation;
}

/** An instrumentation class (only its prototype matters here). */
interface InstrumentationClass {
  prototype: object;
}

/**
 * A subclass of `Base` whose method `name` is `override(inherited)`. A subclass rather than a
 * patch of an instance: instrumentations bind or call these methods while they are constructed
 * or as their module loads. A method the installed version no longer has fails at start, naming
 * it, so an upgrade cannot silently turn the change off.
 */
function overriding<B extends InstrumentationClass>(
  Base: B,
  name: string,
  override: (inherited: Fn) => Fn,
): B {
  const inherited = (Base.prototype as Record<string, unknown>)[name];
  if (typeof inherited !== 'function')
    throw new Error(
      `${(Base as unknown as { name: string }).name}.${name} no longer exists: review packages/tracing/src/recorded-only.ts for this version`,
    );
  const Sub = class extends (Base as unknown as new (...args: unknown[]) => object) {};
  Object.defineProperty(Sub.prototype, name, {
    configurable: true,
    writable: true,
    value: override(inherited as Fn),
  });
  return Sub as unknown as B;
}

/**
 * An outgoing-request instrumentation (`Base`) made lighter inside a trace the sampler left out:
 * no client span (its attributes, URL parsing, timing and bookkeeping), only the trace context
 * put on the request, so the callee learns that the trace is not sampled and follows. `hook` is
 * the instrumentation's method that sees each new request; `addHeader` puts one header on it.
 * Inside a sampled trace the instrumentation runs as it is; outside any trace nothing runs (the
 * instrumentation must be configured to make spans only under a parent).
 */
export function propagateOnlyInUnrecordedTraces<B extends InstrumentationClass>(
  Base: B,
  hook: string,
  addHeader: (message: unknown, name: string, value: string) => void,
): B {
  return overriding(
    Base,
    hook,
    (original) =>
      function (this: unknown, message: unknown) {
        const active = context.active();
        const span = trace.getSpan(active);
        // No trace: nothing to pass on, and no span to make (a parent is required).
        if (!span || !trace.isSpanContextValid(span.spanContext())) return undefined;
        if (sampled(span)) return original.call(this, message);
        const headers: Record<string, string> = {};
        propagation.inject(active, headers);
        for (const [name, value] of Object.entries(headers)) addHeader(message, name, value);
        return undefined;
      },
  );
}

/**
 * The HTTP instrumentation (`Base`) with its incoming-request patch bypassed for the requests
 * `bypass` names: those reach the server's handlers as if nothing were installed (its own
 * ignore hook still enters a context and binds the request's and response's listeners).
 */
export function bypassForRequests<B extends InstrumentationClass>(
  Base: B,
  bypass: (request: IncomingMessage) => boolean,
): B {
  return overriding(
    Base,
    '_incomingRequestFunction',
    (make) =>
      function (this: unknown, component: unknown, original: unknown) {
        const patched = make.call(this, component, original) as Fn;
        return function (this: unknown, event: unknown, ...args: unknown[]) {
          return event === 'request' && bypass(args[0] as IncomingMessage)
            ? (original as Fn).call(this, event, ...args)
            : patched.call(this, event, ...args);
        };
      },
  );
}
