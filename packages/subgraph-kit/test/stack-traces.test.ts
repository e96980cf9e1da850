import { locatedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { BusyError } from '../src/admission.ts';
import { DomainError } from '../src/domain-error.ts';
import { contractError } from '../src/errors.ts';
import { withoutStackTrace } from '../src/stack-traces.ts';

const FRAME = /\n\s+at /;

describe('errors answered by design', () => {
  it('carry no stack frames, and leave stack capture on for everything else', () => {
    const limit = Error.stackTraceLimit;
    expect(new DomainError('NOT_FOUND', 'No such order').stack).toBeUndefined();
    expect(new BusyError('placeOrder').stack).toBeUndefined();
    expect(withoutStackTrace(() => new Error('passed on')).stack).not.toMatch(FRAME);
    expect(() =>
      withoutStackTrace(() => {
        throw new Error('while building');
      }),
    ).toThrow();
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('a fault').stack).toMatch(FRAME);
  });
});

/** How many stacks V8 formats while `work` runs (each call of Error.prepareStackTrace is one). */
function stacksFormatted(work: () => void): number {
  const installed = Error.prepareStackTrace;
  let formatted = 0;
  Error.prepareStackTrace = (error, frames) => {
    formatted++;
    return `${String(error)} (${frames.length} frames)`;
  };
  try {
    work();
  } finally {
    Error.prepareStackTrace = installed;
  }
  return formatted;
}

describe('a refusal a resolver throws', () => {
  // graphql-js wraps it (locatedError) in a GraphQLError that copies a `stack` it finds, and
  // redefining `stack` makes V8 format the wrapper's frames: with source maps, per refusal.
  it('is wrapped by graphql-js without any stack being formatted', () => {
    const refusals = [
      () => new DomainError('CONFLICT', 'The order is already cancelled'),
      () => new BusyError('placeOrder'),
      () => contractError('NOT_FOUND', 'No such product'),
    ];
    for (const refusal of refusals)
      expect(stacksFormatted(() => void locatedError(refusal(), undefined, ['placeOrder']))).toBe(
        0,
      );
    // What it guards against: an error with a stack costs a formatting when wrapped.
    expect(
      stacksFormatted(() => void locatedError(new Error('a fault'), undefined, ['x'])),
    ).toBeGreaterThan(0);
  });
});
