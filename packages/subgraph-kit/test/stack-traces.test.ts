import { describe, expect, it } from 'vitest';
import { BusyError } from '../src/admission.ts';
import { DomainError } from '../src/domain-error.ts';
import { withoutStackTrace } from '../src/stack-traces.ts';

const FRAME = /\n\s+at /;

describe('errors answered by design', () => {
  it('carry no stack frames, and leave stack capture on for everything else', () => {
    const limit = Error.stackTraceLimit;
    expect(new DomainError('NOT_FOUND', 'No such order').stack).not.toMatch(FRAME);
    expect(new BusyError('placeOrder').stack).not.toMatch(FRAME);
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
