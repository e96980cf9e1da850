/**
 * A checkout priced for one cart: the lines with the catalog's facts, the destination, the
 * chosen method and code, the store's rules. The cart shows it (through the internal
 * `checkoutQuote`), and placeOrder places exactly what it says, so both show the same cents.
 * Pure: the callers load the rules, the products and the code's use counts.
 */
import {
  checkDiscount,
  priceCheckout,
  quoteMethod,
  shippingOptions,
  UnknownTaxCountryError,
  type ApplicableDiscount,
  type CheckoutTotals,
  type PricingLine,
  type ShippingQuote,
  type TaxClass,
} from '@shop/pricing';
import { DomainError } from '@shop/subgraph-kit';
import type { CheckoutRules } from '../data/checkout-rules.ts';
import { toPricingCode, type NewDiscountCode } from './discount-code-input.ts';
import type { CartLineInput, CatalogFacts } from './place-order.ts';

/** What pricing needs to know about a product beyond its price. */
export interface PricingFacts extends CatalogFacts {
  weightGrams: number;
  taxClass: TaxClass;
  /** With its ancestors, nearest first: a code limited to a category covers its subcategories. */
  category: { id: string; ancestorIds: string[] };
  /** Set once the seller withdrew it: carts still show it, no new order may buy it. */
  deletedAt: string | null;
}

export interface CheckoutChoices {
  country: string | null;
  shippingMethodId: string | null;
  /** As the customer typed it; normalized before the lookup. */
  discountCode: string | null;
}

/** A code as looked up, with its counts of uses (placed, not cancelled). */
export type FoundDiscountCode = NewDiscountCode & {
  disabled: boolean;
  used: number;
  customerUses: number;
};

export interface CheckoutProblem {
  /** The contract code to raise it with. */
  code: 'BAD_USER_INPUT' | 'CONFLICT';
  reason: string;
  message: string;
}

export interface CheckoutQuote {
  totals: CheckoutTotals;
  shippingOptions: ShippingQuote[];
  /** The chosen method's quote, when it ships this cart to the country. */
  shipping: ShippingQuote | null;
  shippingProblem: string | null;
  discount: ApplicableDiscount | null;
  discountProblem: CheckoutProblem | null;
}

/** The cart's lines as pricing lines; a product that left the catalog is NOT_FOUND. */
export function pricingLines(
  lines: readonly CartLineInput[],
  products: ReadonlyMap<string, PricingFacts | null>,
  toMinor: (amount: string) => number,
): PricingLine[] {
  return lines.map((line) => {
    const product = products.get(line.productId);
    if (!product)
      throw new DomainError('NOT_FOUND', 'A product in the cart is no longer in the catalog', {
        productId: line.productId,
      });
    return {
      productId: line.productId,
      categoryId: product.category.id,
      ancestorCategoryIds: product.category.ancestorIds,
      quantity: line.quantity,
      unitPrice: toMinor(product.price.amount),
      weightGrams: product.weightGrams,
      taxClass: product.taxClass,
    };
  });
}

export function quoteCheckout(args: {
  lines: PricingLine[];
  rules: CheckoutRules;
  choices: CheckoutChoices;
  /** The code named in `choices`, or null when there is none by that name. */
  code: FoundDiscountCode | null;
  now: Date;
}): CheckoutQuote {
  const { lines, rules, choices } = args;
  const { country } = choices;
  if (country && !Object.hasOwn(rules.taxTable, country))
    throw new DomainError('BAD_USER_INPUT', new UnknownTaxCountryError(country).message, {
      field: 'country',
    });
  let discount: ApplicableDiscount | null = null;
  let discountProblem: CheckoutProblem | null = null;
  if (choices.discountCode) {
    if (!args.code)
      discountProblem = {
        code: 'BAD_USER_INPUT',
        reason: 'UNKNOWN',
        message: `There is no discount code ${choices.discountCode.trim().toUpperCase()}.`,
      };
    else if (lines.length > 0) {
      const check = checkDiscount(toPricingCode(args.code), {
        lines,
        store: rules.store,
        now: args.now,
        timesUsed: args.code.used,
        customerTimesUsed: args.code.customerUses,
      });
      if (check.ok) discount = check.discount;
      else
        discountProblem = {
          code: check.contractCode,
          reason: check.reason,
          message: check.message,
        };
    } else
      discountProblem = {
        code: 'BAD_USER_INPUT',
        reason: 'NOT_APPLICABLE',
        message: `The discount code ${args.code.code} does not apply to an empty cart.`,
      };
  }
  const options = country ? shippingOptions(lines, country, rules.shipping, { discount }) : [];
  let shipping: ShippingQuote | null = null;
  let shippingProblem: string | null = null;
  if (choices.shippingMethodId) {
    if (!country) shippingProblem = 'Choose a shipping address before a shipping method.';
    else {
      const result = quoteMethod(choices.shippingMethodId, lines, country, rules.shipping, {
        discount,
      });
      if (result.ok) shipping = result.quote;
      else shippingProblem = result.message;
    }
  }
  const totals = priceCheckout({
    lines,
    store: rules.store,
    taxTable: rules.taxTable,
    country,
    shipping: shipping ? { methodId: shipping.methodId, setup: rules.shipping } : null,
    discount,
  });
  return { totals, shippingOptions: options, shipping, shippingProblem, discount, discountProblem };
}
