/**
 * The one rounding rule of pricing: round half to even ("banker's rounding"), applied once per
 * line (and once to the shipping charge, and once to a percentage discount's total), never to a
 * running sum. Half-even rather than half-up because exact halves then go up as often as down, so
 * a store's tax over many orders has no upward bias; per line because the order shows tax per
 * line, and the lines must add up to the total shown.
 *
 * All of it is exact integer arithmetic in bigint: rate x amount can pass 2^53 long before the
 * amounts themselves do, and a float would misplace the halves this rule is about.
 */

/** n / d rounded half to even, for n >= 0 and d > 0. */
export function divideHalfEven(n: bigint, d: bigint): bigint {
  if (n < 0n || d <= 0n) throw new RangeError('divideHalfEven takes n >= 0 and d > 0');
  const quotient = n / d;
  const twiceRemainder = 2n * (n % d);
  if (twiceRemainder > d) return quotient + 1n;
  if (twiceRemainder === d && quotient % 2n === 1n) return quotient + 1n;
  return quotient;
}

/**
 * round_half_even(value x numerator / denominator) for whole numbers, as a number. The result
 * is at most `value` whenever numerator <= denominator, which is how pricing calls it.
 */
export function scaleHalfEven(value: number, numerator: number, denominator: number): number {
  const result = divideHalfEven(BigInt(value) * BigInt(numerator), BigInt(denominator));
  if (result > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('scaled amount too large');
  return Number(result);
}
