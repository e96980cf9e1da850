/**
 * Tax rates and the tax on one amount.
 *
 * Rates are integer basis points (1 bp = 0.01 %, so 19 % is 1900 and 5.5 % is 550): exact, and
 * no float in the money maths. A rate finer than 0.01 % cannot be written down (no national VAT
 * rate needs it).
 *
 * Rules (applied per line, see rounding.ts for why per line and half-even):
 * - NET prices:   tax = round_half_even(net x rate)                 (added to the price)
 * - GROSS prices: tax = gross - round_half_even(gross / (1 + rate)) (included in the price)
 * - Shipping is taxed at the destination's STANDARD rate, by the same rule, in the store's mode.
 * - Tax class ZERO is 0 everywhere; STANDARD and REDUCED come from the table.
 * - A destination missing from the table is UnknownTaxCountryError (BAD_USER_INPUT for the
 *   caller): the store has not said how to tax it, so it does not sell there.
 */
import { PricingInputError, UnknownTaxCountryError } from './errors.ts';
import { assertMinorUnits, validateCountry, type PriceMode, type TaxClass } from './model.ts';
import { scaleHalfEven } from './rounding.ts';

/** The rates of one country, basis points. */
export interface CountryTaxRates {
  STANDARD: number;
  REDUCED: number;
}

/** Rates by ISO 3166-1 alpha-2 country code ("DE": { STANDARD: 1900, REDUCED: 700 }). */
export type TaxTable = Readonly<Record<string, CountryTaxRates>>;

const BASIS_POINTS = 10_000;
/** 100 %: above it the GROSS rule would still work, but no such rate exists, so it is a typo. */
const MAX_RATE_BP = 10_000;

function validRate(rate: number, what: string): number {
  if (!Number.isSafeInteger(rate) || rate < 0 || rate > MAX_RATE_BP)
    throw new PricingInputError(`${what} must be whole basis points from 0 to ${MAX_RATE_BP}`);
  return rate;
}

/** The destination's rates; UnknownTaxCountryError when the table has none. */
export function taxRatesFor(table: TaxTable, country: string): CountryTaxRates {
  validateCountry(country);
  // hasOwn, so that "constructor" or "__proto__" from a bad address never reads the prototype.
  const rates = Object.hasOwn(table, country) ? table[country] : undefined;
  if (!rates) throw new UnknownTaxCountryError(country);
  validRate(rates.STANDARD, `${country} STANDARD rate`);
  validRate(rates.REDUCED, `${country} REDUCED rate`);
  return rates;
}

export function rateForClass(rates: CountryTaxRates, taxClass: TaxClass): number {
  switch (taxClass) {
    case 'STANDARD':
      return rates.STANDARD;
    case 'REDUCED':
      return rates.REDUCED;
    case 'ZERO':
      return 0;
  }
}

/**
 * The tax on `amount` (minor units, in the store's price mode) at `rateBp`, rounded half-even:
 * added on top in NET mode, the part included in it in GROSS mode. Never negative, and in GROSS
 * mode never more than the amount.
 */
export function taxOnAmount(amount: number, rateBp: number, mode: PriceMode): number {
  assertMinorUnits(amount, 'taxed amount');
  validRate(rateBp, 'tax rate');
  if (mode === 'NET') return scaleHalfEven(amount, rateBp, BASIS_POINTS);
  const net = scaleHalfEven(amount, BASIS_POINTS, BASIS_POINTS + rateBp);
  return amount - net;
}
