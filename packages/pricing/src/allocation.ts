/**
 * Splitting an amount over lines so that the parts add up to it exactly: the largest-remainder
 * (Hamilton) method. Each part first gets floor(total x weight / sum of weights); the cents
 * that flooring left over go, one each, to the parts with the largest remainders. Rounding
 * each part on its own instead would lose or invent a cent now and then, and the order's line
 * discounts would no longer add up to its discount.
 */
import { PricingInputError } from './errors.ts';
import { assertMinorUnits } from './model.ts';

/**
 * `total` split in proportion to `weights` (whole, non-negative). The parts sum to `total`
 * exactly; a part of weight 0 gets 0; when total <= the sum of the weights no part exceeds its
 * weight (a floor is at most its weight, and a part is raised by one only when its exact share
 * was not whole, so was below its weight).
 *
 * Equal remainders are ordered by `tieBreakKeys` (product ids, compared by code unit, not by
 * locale) and only then by position, so the cart and the order, which may list the same lines
 * in a different order, give every product the same cents.
 */
export function allocateProportionally(
  total: number,
  weights: readonly number[],
  tieBreakKeys: readonly string[] = [],
): number[] {
  assertMinorUnits(total, 'amount to allocate');
  weights.forEach((weight, i) => assertMinorUnits(weight, `allocation weight ${i + 1}`));
  const weightSum = weights.reduce((sum, weight) => sum + BigInt(weight), 0n);
  if (weightSum === 0n) {
    if (total !== 0) throw new PricingInputError('cannot allocate an amount over nothing');
    return weights.map(() => 0);
  }

  const target = BigInt(total);
  const parts = weights.map((weight, index) => {
    const exact = target * BigInt(weight);
    return { index, floor: exact / weightSum, remainder: exact % weightSum };
  });
  // Fewer than weights.length cents are left: the remainders sum to leftover x weightSum,
  // each below weightSum, so at least leftover + 1 of them are non-zero.
  let leftover = parts.reduce((left, part) => left - part.floor, target);

  const byRemainder = [...parts].sort((a, b) => {
    if (a.remainder !== b.remainder) return a.remainder > b.remainder ? -1 : 1;
    const keyA = tieBreakKeys[a.index] ?? '';
    const keyB = tieBreakKeys[b.index] ?? '';
    if (keyA !== keyB) return keyA < keyB ? -1 : 1;
    return a.index - b.index;
  });
  for (const part of byRemainder) {
    if (leftover === 0n) break;
    part.floor += 1n;
    leftover -= 1n;
  }
  return parts.map((part) => Number(part.floor));
}
