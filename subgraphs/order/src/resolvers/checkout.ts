/**
 * The internal checkout quote the cart asks for (never in the public API: @inaccessible), and
 * the loading placeOrder shares with it: the same products, rules and code lookup, priced by
 * domain/checkout-quote.ts.
 */
import {
  contractTotals,
  fromMinorUnits,
  toMinorUnits,
  type Money,
  type PricingLine,
} from '@shop/pricing';
import { DomainError, isId, requireIdentity } from '@shop/subgraph-kit';
import type { OrderContext } from '../context.ts';
import { loadCheckoutRules, type CheckoutRules } from '../data/checkout-rules.ts';
import { findDiscountCode } from '../data/discount-codes.ts';
import {
  pricingLines,
  quoteCheckout,
  type CheckoutChoices,
  type CheckoutQuote,
  type PricingFacts,
} from '../domain/checkout-quote.ts';
import { normalizeCode } from '../domain/discount-code-input.ts';
import type { CartLineInput } from '../domain/place-order.ts';

const COUNTRY = /^[A-Z]{2}$/;
const MAX_LINES = 100;

/** The lines' products from the catalog (one batched call); a missing one stays null. */
export async function loadProducts(
  ctx: OrderContext,
  lines: readonly CartLineInput[],
): Promise<Map<string, PricingFacts | null>> {
  const facts = await ctx.products.loadMany(lines.map((line) => line.productId));
  const products = new Map<string, PricingFacts | null>();
  lines.forEach((line, i) => {
    const fact = facts[i];
    if (fact instanceof Error) throw fact;
    products.set(line.productId, fact ?? null);
  });
  return products;
}

export interface Priced {
  quote: CheckoutQuote;
  /** What it was priced from, for a re-check under the code's lock at placement. */
  lines: PricingLine[];
  rules: CheckoutRules;
  products: Map<string, PricingFacts | null>;
  choices: CheckoutChoices;
}

/** Loads what a quote needs and prices it for the signed-in customer. */
export async function priceFor(
  ctx: OrderContext,
  userId: string,
  cartLines: readonly CartLineInput[],
  choices: CheckoutChoices,
): Promise<Priced> {
  const code = choices.discountCode ? normalizeCode(choices.discountCode) : null;
  const [products, rules, found] = await Promise.all([
    loadProducts(ctx, cartLines),
    loadCheckoutRules(ctx.db, choices.country, choices.shippingMethodId),
    code ? findDiscountCode(ctx.db, code, userId) : null,
  ]);
  const lines = pricingLines(cartLines, products, toMinorUnits);
  const quote = quoteCheckout({ lines, rules, choices, code: found, now: new Date() });
  return { quote, lines, rules, products, choices };
}

function validLines(lines: readonly { productId: string; quantity: number }[]): CartLineInput[] {
  if (lines.length > MAX_LINES) throw new DomainError('BAD_USER_INPUT', 'Too many lines to price');
  for (const line of lines)
    if (!isId(line.productId) || !Number.isSafeInteger(line.quantity) || line.quantity < 1)
      throw new DomainError('BAD_USER_INPUT', 'A line to price is malformed');
  return lines.map((l) => ({ productId: l.productId.toLowerCase(), quantity: l.quantity }));
}

export async function checkoutQuote(
  ctx: OrderContext,
  input: {
    lines: readonly { productId: string; quantity: number }[];
    country?: string | null;
    shippingMethodId?: string | null;
    discountCode?: string | null;
  },
) {
  const { userId } = requireIdentity(ctx);
  const country = input.country ?? null;
  if (country !== null && !COUNTRY.test(country))
    throw new DomainError('BAD_USER_INPUT', 'country must be an ISO 3166-1 alpha-2 code', {
      field: 'country',
    });
  const methodId = input.shippingMethodId ?? null;
  const { quote } = await priceFor(ctx, userId, validLines(input.lines), {
    country,
    // A malformed method id is a method that does not exist: the quote says so.
    shippingMethodId: methodId && isId(methodId) ? methodId.toLowerCase() : null,
    discountCode: input.discountCode?.trim() || null,
  });
  const { totals } = quote;
  const money = (minor: number): Money => fromMinorUnits(minor, totals.currency);
  const shippingProblem =
    methodId && !isId(methodId)
      ? `There is no shipping method ${methodId}.`
      : quote.shippingProblem;
  return {
    totals: contractTotals(totals),
    lines: totals.lines.map((line) => ({
      productId: line.productId,
      discount: money(line.discount),
      tax: money(line.tax),
    })),
    shippingOptions: quote.shippingOptions.map((option) => ({
      method: { id: option.methodId, name: option.name, carrier: option.carrier },
      price: money(option.price),
      estimatedDays: option.estimatedDays,
    })),
    shippingMethod: quote.shipping
      ? { id: quote.shipping.methodId, name: quote.shipping.name, carrier: quote.shipping.carrier }
      : null,
    shippingProblem,
    discountCode: quote.discount?.code ?? null,
    discountProblem: quote.discountProblem,
  };
}
