import { describe, expect, it } from 'vitest';
import { PricingInputError, UnknownTaxCountryError } from '../src/errors.ts';
import { divideHalfEven, scaleHalfEven } from '../src/rounding.ts';
import { rateForClass, taxOnAmount, taxRatesFor, type TaxTable } from '../src/tax.ts';

describe('half-even rounding', () => {
  it('rounds exact halves to the even neighbour, everything else to the nearest', () => {
    const cases: [bigint, bigint, bigint][] = [
      [5n, 10n, 0n], // 0.5 -> 0
      [15n, 10n, 2n], // 1.5 -> 2
      [25n, 10n, 2n], // 2.5 -> 2
      [35n, 10n, 4n], // 3.5 -> 4
      [14n, 10n, 1n], // 1.4 -> 1
      [16n, 10n, 2n], // 1.6 -> 2
      [26n, 10n, 3n], // 2.6 -> 3
      [0n, 7n, 0n],
      [21n, 7n, 3n],
    ];
    for (const [n, d, expected] of cases) expect(divideHalfEven(n, d), `${n}/${d}`).toBe(expected);
  });

  it('stays exact past 2^53', () => {
    const big = 2n ** 70n + 1n; // (2^70 + 1) / 2 = 2^69 + 0.5 -> 2^69 (even)
    expect(divideHalfEven(big, 2n)).toBe(2n ** 69n);
    expect(scaleHalfEven(Number.MAX_SAFE_INTEGER, 1900, 10_000)).toBe(1711367858400788); // ...788.29
  });

  it('takes no negative numerator or zero divisor', () => {
    expect(() => divideHalfEven(-1n, 2n)).toThrow(RangeError);
    expect(() => divideHalfEven(1n, 0n)).toThrow(RangeError);
  });
});

describe('tax on one amount', () => {
  it('NET: round_half_even(net x rate), exact halves both ways (19 %)', () => {
    expect(taxOnAmount(50, 1900, 'NET')).toBe(10); // 9.5 -> 10 (up to even)
    expect(taxOnAmount(150, 1900, 'NET')).toBe(28); // 28.5 -> 28 (down to even)
    expect(taxOnAmount(250, 1900, 'NET')).toBe(48); // 47.5 -> 48
    expect(taxOnAmount(350, 1900, 'NET')).toBe(66); // 66.5 -> 66
    expect(taxOnAmount(149, 1900, 'NET')).toBe(28); // 28.31
    expect(taxOnAmount(151, 1900, 'NET')).toBe(29); // 28.69
  });

  it('NET: exact halves at 25 % (2 -> 0.5 -> 0, 6 -> 1.5 -> 2, 10 -> 2.5 -> 2)', () => {
    expect([2, 6, 10, 14].map((net) => taxOnAmount(net, 2500, 'NET'))).toEqual([0, 2, 2, 4]);
  });

  it('GROSS: gross - round_half_even(gross / (1 + rate)), exact halves both ways (20 %)', () => {
    expect(taxOnAmount(3, 2000, 'GROSS')).toBe(1); // net 2.5 -> 2
    expect(taxOnAmount(9, 2000, 'GROSS')).toBe(1); // net 7.5 -> 8
    expect(taxOnAmount(45, 2000, 'GROSS')).toBe(7); // net 37.5 -> 38
    expect(taxOnAmount(75, 2000, 'GROSS')).toBe(13); // net 62.5 -> 62
    expect(taxOnAmount(11900, 1900, 'GROSS')).toBe(1900); // exactly 100.00 net
  });

  it('is 0 at rate 0 and on 0, and the included tax never exceeds the amount', () => {
    expect(taxOnAmount(12345, 0, 'NET')).toBe(0);
    expect(taxOnAmount(12345, 0, 'GROSS')).toBe(0);
    expect(taxOnAmount(0, 2500, 'NET')).toBe(0);
    expect(taxOnAmount(1, 10_000, 'GROSS')).toBe(1); // net 0.5 -> 0
    expect(taxOnAmount(3, 10_000, 'GROSS')).toBe(1); // net 1.5 -> 2
  });

  it('refuses rates that are not whole basis points from 0 to 100 %, and negative amounts', () => {
    for (const rate of [-1, 10_001, 19.5, Number.NaN])
      expect(() => taxOnAmount(100, rate, 'NET')).toThrow(PricingInputError);
    expect(() => taxOnAmount(-1, 1900, 'NET')).toThrow(PricingInputError);
    expect(() => taxOnAmount(0.5, 1900, 'NET')).toThrow(PricingInputError);
  });
});

describe('the tax table', () => {
  const table: TaxTable = { DE: { STANDARD: 1900, REDUCED: 700 } };

  it('gives rates by country and class; ZERO is 0 everywhere', () => {
    const rates = taxRatesFor(table, 'DE');
    expect(rateForClass(rates, 'STANDARD')).toBe(1900);
    expect(rateForClass(rates, 'REDUCED')).toBe(700);
    expect(rateForClass(rates, 'ZERO')).toBe(0);
  });

  it('refuses a country it has no rates for with a typed, customer-facing error', () => {
    const attempt = () => taxRatesFor(table, 'CH');
    expect(attempt).toThrow(UnknownTaxCountryError);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ country: 'CH', contractCode: 'BAD_USER_INPUT' });
    }
  });

  it('does not read the prototype for odd keys, and refuses malformed codes as input errors', () => {
    expect(() => taxRatesFor(table, 'de')).toThrow(PricingInputError);
    expect(() => taxRatesFor(table, '__proto__')).toThrow(PricingInputError);
    const withProto = Object.create({ XX: { STANDARD: 1, REDUCED: 1 } }) as TaxTable;
    expect(() => taxRatesFor(withProto, 'XX')).toThrow(UnknownTaxCountryError);
  });

  it('refuses a malformed rate in the table', () => {
    expect(() => taxRatesFor({ DE: { STANDARD: 19, REDUCED: 0.07 } }, 'DE')).toThrow(
      PricingInputError,
    );
  });
});
