import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateProportionally } from '../src/allocation.ts';
import { PricingInputError } from '../src/errors.ts';

describe('largest-remainder allocation', () => {
  it('gives the leftover cents to the largest remainders', () => {
    // 100 over 1:1:1 -> 33.33 each, one cent left, to the first by position.
    expect(allocateProportionally(100, [1, 1, 1])).toEqual([34, 33, 33]);
    // 1104 over 5995 : 2598 : 2450 -> 599.34 / 259.73 / 244.93
    expect(allocateProportionally(1104, [5995, 2598, 2450])).toEqual([599, 260, 245]);
    expect(allocateProportionally(10, [0, 5, 0, 5])).toEqual([0, 5, 0, 5]);
    expect(allocateProportionally(0, [3, 4])).toEqual([0, 0]);
    expect(allocateProportionally(0, [])).toEqual([]);
    expect(allocateProportionally(7, [7])).toEqual([7]);
  });

  it('breaks ties by key, so a different line order gives each key the same cents', () => {
    expect(allocateProportionally(1, [1, 1], ['b', 'a'])).toEqual([0, 1]);
    expect(allocateProportionally(1, [1, 1], ['a', 'b'])).toEqual([1, 0]);
  });

  it('refuses an amount over nothing and malformed numbers', () => {
    expect(() => allocateProportionally(1, [0, 0])).toThrow(PricingInputError);
    expect(() => allocateProportionally(-1, [1])).toThrow(PricingInputError);
    expect(() => allocateProportionally(1, [1.5])).toThrow(PricingInputError);
  });

  it('property: parts sum exactly, each is the floor or ceiling of its share, within its weight', () => {
    const input = fc
      .array(fc.integer({ min: 0, max: 2_000_000_000 }), { minLength: 1, maxLength: 12 })
      .filter((weights) => weights.some((w) => w > 0))
      .chain((weights) =>
        fc.tuple(
          fc.constant(weights),
          fc.integer({ min: 0, max: weights.reduce((a, b) => a + b, 0) }),
        ),
      );
    fc.assert(
      fc.property(input, ([weights, total]) => {
        const parts = allocateProportionally(total, weights);
        const weightSum = BigInt(weights.reduce((a, b) => a + b, 0));
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        parts.forEach((part, i) => {
          const weight = weights[i] ?? 0;
          const exact = BigInt(total) * BigInt(weight); // share = exact / weightSum
          const floor = exact / weightSum;
          expect(BigInt(part) === floor || BigInt(part) === floor + 1n).toBe(true);
          if (exact % weightSum === 0n) expect(BigInt(part)).toBe(floor);
          expect(part).toBeLessThanOrEqual(weight);
        });
      }),
      { numRuns: 500 },
    );
  });
});
