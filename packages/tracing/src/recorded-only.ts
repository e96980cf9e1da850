import { context, trace } from '@opentelemetry/api';

type Fn = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Leaf spans (one per SQL query, Redis command, pool checkout) only inside a trace that is
 * recorded. An instrumentation otherwise does all its work for every call of a request the
 * sampler left out (a non-recording span still gets its attributes worked out, its callbacks
 * wrapped and its context entered): at 1 % sampling, the pg instrumentation alone was 8 % of
 * the saga worker's CPU for spans nobody keeps. A leaf has no child to pass a context to, so
 * skipping it loses nothing. Outgoing HTTP still runs its instrumentation, because the callee
 * must learn that the trace is not sampled.
 *
 * `factories` are the instrumentation's own methods that return a patch (`original =>
 * patched`); each patch is wrapped to call the original while no recording span is active.
 * They are internal to the instrumentation: a missing one fails at start, naming it, so an
 * upgrade cannot silently turn this off.
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
          return trace.getSpan(context.active())?.isRecording()
            ? patched.apply(this, args)
            : original.apply(this, args);
        };
      };
    };
  }
  return instrumentation;
}
