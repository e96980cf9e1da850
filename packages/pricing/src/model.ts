/**
 * The data pricing works on: cart lines and the store's setting. Plain JSON-safe data (no
 * classes, no bigint, no Date), because the order stores what it was priced with as a snapshot.
 *
 * Every amount is an integer number of minor units (cents) held in a `number` and kept within
 * Number.MAX_SAFE_INTEGER: sums and differences stay in `number` and are checked to stay safe
 * (`addSafe`); products and quotients (rate x amount, share of a discount) go through bigint
 * (rounding.ts), so no intermediate ever loses a cent. Nothing in pricing uses a float.
 */
import { PricingInputError } from './errors.ts';

export const TAX_CLASSES = ['STANDARD', 'REDUCED', 'ZERO'] as const;
/** A product's tax class; `ZERO` is taxed at 0 in every country (not looked up in the table). */
export type TaxClass = (typeof TAX_CLASSES)[number];

export const PRICE_MODES = ['NET', 'GROSS'] as const;
/**
 * How the store enters prices (products, fixed discounts, shipping rates, thresholds): `NET`
 * before tax (tax is added on top) or `GROSS` with tax included (the tax is shown, not added).
 */
export type PriceMode = (typeof PRICE_MODES)[number];

export interface StoreSettings {
  priceMode: PriceMode;
  /** ISO 4217, two minor digits (as the contract's Money): the one currency of every amount. */
  currency: string;
}

/** One cart or order line as pricing sees it. */
export interface PricingLine {
  productId: string;
  categoryId: string;
  /**
   * The category's ancestors (parent, grandparent, ...), so that a code limited to "Reels"
   * applies to a product in "Spinning reels". Optional: without it only `categoryId` matches.
   */
  ancestorCategoryIds?: readonly string[];
  /** Whole units, at least 1. */
  quantity: number;
  /** Minor units, in the store's price mode (net or gross). */
  unitPrice: number;
  /** Weight of one unit, whole grams. */
  weightGrams: number;
  taxClass: TaxClass;
}

/** A non-negative safe integer, or a PricingInputError naming what it was. */
export function assertMinorUnits(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new PricingInputError(`${what} must be a whole, non-negative number of minor units`);
  return value;
}

export function assertWholeNumber(value: number, what: string, min = 0): number {
  if (!Number.isSafeInteger(value) || value < min)
    throw new PricingInputError(`${what} must be a whole number of at least ${min}`);
  return value;
}

/** a + b, refused rather than rounded when the result leaves the safe-integer range. */
export function addSafe(a: number, b: number): number {
  const result = a + b;
  if (!Number.isSafeInteger(result)) throw new PricingInputError('amount too large to price');
  return result;
}

export function sumSafe(values: readonly number[]): number {
  return values.reduce(addSafe, 0);
}

/** a x b for whole numbers, refused when it leaves the safe-integer range. */
export function multiplyWhole(a: number, b: number): number {
  const result = BigInt(a) * BigInt(b);
  if (result > BigInt(Number.MAX_SAFE_INTEGER))
    throw new PricingInputError('amount too large to price');
  return Number(result);
}

const CURRENCY = /^[A-Z]{3}$/;
const COUNTRY = /^[A-Z]{2}$/;

export function validateStore(store: StoreSettings): void {
  if (!PRICE_MODES.includes(store.priceMode))
    throw new PricingInputError(`unknown price mode: ${String(store.priceMode)}`);
  if (!CURRENCY.test(store.currency))
    throw new PricingInputError(`not a currency code: ${store.currency}`);
}

/** An ISO 3166-1 alpha-2 code as the address book stores it (upper case). */
export function validateCountry(country: string): string {
  if (!COUNTRY.test(country)) throw new PricingInputError(`not a country code: ${country}`);
  return country;
}

export function validateLines(lines: readonly PricingLine[]): void {
  for (const [i, line] of lines.entries()) {
    const at = `line ${i + 1} (${line.productId})`;
    assertWholeNumber(line.quantity, `${at} quantity`, 1);
    assertMinorUnits(line.unitPrice, `${at} unit price`);
    assertWholeNumber(line.weightGrams, `${at} weight`);
    if (!TAX_CLASSES.includes(line.taxClass))
      throw new PricingInputError(`${at} has an unknown tax class: ${String(line.taxClass)}`);
  }
}

/** Unit price x quantity, in the store's price mode. */
export function lineAmount(line: PricingLine): number {
  return multiplyWhole(line.unitPrice, line.quantity);
}

/** The merchandise subtotal before any discount, in the store's price mode. */
export function merchandiseSubtotal(lines: readonly PricingLine[]): number {
  return sumSafe(lines.map(lineAmount));
}

export function totalWeightGrams(lines: readonly PricingLine[]): number {
  return sumSafe(lines.map((line) => multiplyWhole(line.weightGrams, line.quantity)));
}
