/**
 * Errors a service answers with by design (a domain refusal, a full admission queue, a
 * subgraph's error the gateway passes on) need no stack trace: it would only show the code that
 * answered. Capturing one is not free, and serializing it is dearer with source maps on (the
 * production build runs with them), where Apollo's error formatting reads every error's stack
 * and each frame is mapped: at 100 offered orders/s, with most placements refused as busy, the
 * gateway spent 3 % of its CPU in GraphQLError's stack capture and the order service 3–5 % in
 * mapping the stacks of its refusals (CPU profiles, 2026-11-30).
 */

/** Stops capturing stack traces until the returned function runs (around a `super()` call). */
export function suspendStackTraces(): () => void {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return () => {
    Error.stackTraceLimit = limit;
  };
}

/** The error `make` builds, without a captured stack trace. */
export function withoutStackTrace<T>(make: () => T): T {
  const restore = suspendStackTraces();
  try {
    return make();
  } finally {
    restore();
  }
}

/**
 * `error` with no `stack` at all. Capturing no frames is not enough for an error a resolver
 * throws: graphql-js wraps it in a GraphQLError that copies the original's `stack` onto itself
 * when there is one, and redefining an error's `stack` makes V8 format the frames the wrapper
 * captured (ten, each mapped through the source map): 0.4 ms per refusal, 5.5 % of the order
 * service's CPU at 100 offered orders/s with most placements refused as busy (CPU profile,
 * 2026-11-30). Without one, the wrapper keeps its own frames unformatted (nobody reads them).
 */
export function forgetStack<E extends Error>(error: E): E {
  error.stack = undefined;
  return error;
}

/** An error answered by design (see above): no frames captured, no `stack` to copy. */
export class StacklessError extends Error {
  constructor(message: string) {
    const restoreStackTraces = suspendStackTraces();
    super(message);
    restoreStackTraces();
    forgetStack(this);
  }
}
