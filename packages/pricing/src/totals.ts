/**
 * A checkout's totals: lines, discount, tax, shipping, in integer minor units. The one place
 * these figures are computed, so the cart, the order, its events, analytics and the storefront
 * all show the same cents.
 *
 * Invariants of every CheckoutTotals (checkTotalsInvariants tests them; the unit tests run it on
 * generated carts):
 * - subtotal = sum of lines' lineTotal; discount = sum of lines' discount;
 *   tax = sum of lines' tax + shippingTax;
 * - NET:   total = subtotal - discount + shipping + tax   (tax added on top)
 * - GROSS: total = subtotal - discount + shipping         (tax is the part included, shown only)
 * - 0 <= line discount <= lineTotal, and every amount is a non-negative safe integer.
 *
 * Without a destination country (no address chosen yet) there is no tax: every tax is 0, the
 * lines' taxRateBp is null, `country` is null, and no shipping can be charged. In a NET store
 * the total then grows once the address is known; in a GROSS store it does not (the included tax
 * is only split out). A country absent from the tax table is UnknownTaxCountryError.
 */
import { discountPerLine, type ApplicableDiscount } from './discount.ts';
import { PricingInputError } from './errors.ts';
import { fromMinorUnits, type Money } from './money.ts';
import {
  lineAmount,
  sumSafe,
  validateLines,
  validateStore,
  type PriceMode,
  type PricingLine,
  type StoreSettings,
  type TaxClass,
} from './model.ts';
import {
  quoteMethod,
  ShippingUnavailableError,
  type ShippingQuote,
  type ShippingSetup,
} from './shipping.ts';
import { rateForClass, taxOnAmount, taxRatesFor, type TaxTable } from './tax.ts';

export interface CheckoutInput {
  lines: readonly PricingLine[];
  store: StoreSettings;
  taxTable: TaxTable;
  /** The destination, ISO 3166-1 alpha-2; null or absent until an address is chosen. */
  country?: string | null;
  /** The chosen method, found in `setup` and quoted for this cart (needs a country). */
  shipping?: { methodId: string; setup: ShippingSetup } | null;
  /** A code checkDiscount accepted for these lines. */
  discount?: ApplicableDiscount | null;
}

export interface PricedLine {
  productId: string;
  taxClass: TaxClass;
  quantity: number;
  unitPrice: number;
  /** unitPrice x quantity, before discount. */
  lineTotal: number;
  /** This line's share of the discount. */
  discount: number;
  /** On lineTotal - discount: added (NET) or included (GROSS). */
  tax: number;
  /** Basis points applied; null without a destination. */
  taxRateBp: number | null;
}

export interface CheckoutTotals {
  currency: string;
  priceMode: PriceMode;
  /** The destination the tax is for; null: no tax computed yet. */
  country: string | null;
  lines: PricedLine[];
  subtotal: number;
  discount: number;
  /** What the customer pays for shipping (0 when free or not chosen yet). */
  shipping: number;
  /** Tax on shipping, part of `tax`. */
  shippingTax: number;
  /** All tax: lines' and shipping's. */
  tax: number;
  total: number;
  discountCode: string | null;
  shippingQuote: ShippingQuote | null;
}

/**
 * Prices a checkout. Throws UnknownTaxCountryError (country not in the tax table) or
 * ShippingUnavailableError (the method does not ship this cart there), both PricingRefusal with
 * a contract code and a customer message; PricingInputError for malformed data.
 */
export function priceCheckout(input: CheckoutInput): CheckoutTotals {
  const { lines, store } = input;
  validateStore(store);
  validateLines(lines);
  const mode = store.priceMode;
  const country = input.country ?? null;
  const rates = country === null ? null : taxRatesFor(input.taxTable, country);

  const discounts = discountPerLine(input.discount, lines);
  const pricedLines = lines.map((line, i): PricedLine => {
    const lineTotal = lineAmount(line);
    const discount = discounts[i] ?? 0;
    const taxRateBp = rates ? rateForClass(rates, line.taxClass) : null;
    return {
      productId: line.productId,
      taxClass: line.taxClass,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      lineTotal,
      discount,
      // Tax follows the discount: the customer pays tax on what they pay for the line.
      tax: taxRateBp === null ? 0 : taxOnAmount(lineTotal - discount, taxRateBp, mode),
      taxRateBp,
    };
  });

  let shippingQuote: ShippingQuote | null = null;
  if (input.shipping) {
    if (country === null)
      throw new PricingInputError('a shipping method is chosen without a destination country');
    const { methodId, setup } = input.shipping;
    const result = quoteMethod(methodId, lines, country, setup, { discount: input.discount });
    if (!result.ok) throw new ShippingUnavailableError(result.reason, result.message);
    shippingQuote = result.quote;
  }
  const shipping = shippingQuote?.price ?? 0;
  const shippingTax = rates ? taxOnAmount(shipping, rates.STANDARD, mode) : 0;

  const subtotal = sumSafe(pricedLines.map((line) => line.lineTotal));
  const discount = sumSafe(pricedLines.map((line) => line.discount));
  const tax = sumSafe([...pricedLines.map((line) => line.tax), shippingTax]);
  const payable = sumSafe([subtotal - discount, shipping]);
  return {
    currency: store.currency,
    priceMode: mode,
    country,
    lines: pricedLines,
    subtotal,
    discount,
    shipping,
    shippingTax,
    tax,
    total: mode === 'NET' ? sumSafe([payable, tax]) : payable,
    discountCode: input.discount?.code ?? null,
    shippingQuote,
  };
}

/** The invariants listed above that `totals` breaks, as messages; empty when it keeps them all. */
export function checkTotalsInvariants(totals: CheckoutTotals): string[] {
  const broken: string[] = [];
  const expect = (holds: boolean, what: string) => {
    if (!holds) broken.push(what);
  };
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const amounts: Record<string, number> = {
    subtotal: totals.subtotal,
    discount: totals.discount,
    shipping: totals.shipping,
    shippingTax: totals.shippingTax,
    tax: totals.tax,
    total: totals.total,
  };
  totals.lines.forEach((line, i) => {
    amounts[`line ${i + 1} total`] = line.lineTotal;
    amounts[`line ${i + 1} discount`] = line.discount;
    amounts[`line ${i + 1} tax`] = line.tax;
    expect(line.discount <= line.lineTotal, `line ${i + 1} discount <= its total`);
    expect(line.lineTotal === line.unitPrice * line.quantity, `line ${i + 1} total = price x qty`);
    if (totals.priceMode === 'GROSS')
      expect(line.tax <= line.lineTotal - line.discount, `line ${i + 1} included tax <= its price`);
  });
  for (const [name, value] of Object.entries(amounts))
    expect(Number.isSafeInteger(value) && value >= 0, `${name} is a non-negative safe integer`);
  expect(totals.subtotal === sum(totals.lines.map((l) => l.lineTotal)), 'subtotal = sum of lines');
  expect(totals.discount === sum(totals.lines.map((l) => l.discount)), 'discount = sum of lines');
  expect(
    totals.tax === sum(totals.lines.map((l) => l.tax)) + totals.shippingTax,
    'tax = lines tax + shipping tax',
  );
  const payable = totals.subtotal - totals.discount + totals.shipping;
  expect(
    totals.total === (totals.priceMode === 'NET' ? payable + totals.tax : payable),
    `${totals.priceMode} total`,
  );
  return broken;
}

/** The contract's `Totals { subtotal discount shipping tax total }` as Money. */
export function contractTotals(totals: CheckoutTotals): {
  subtotal: Money;
  discount: Money;
  shipping: Money;
  tax: Money;
  total: Money;
} {
  const money = (minor: number) => fromMinorUnits(minor, totals.currency);
  return {
    subtotal: money(totals.subtotal),
    discount: money(totals.discount),
    shipping: money(totals.shipping),
    tax: money(totals.tax),
    total: money(totals.total),
  };
}
