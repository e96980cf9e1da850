/**
 * The checkout's choices a cart holds (a copy of the shipping address, the shipping method, the
 * discount code) and what the order service's pricing says about them: plain data and pure
 * rules, free of GraphQL and Prisma.
 *
 * The cart never prices anything itself: every total, tax, discount and shipping price is the
 * order service's quote (`checkoutQuote`), so the cart, the order and the storefront show the
 * same cents and the store's currency has one source (the order's store settings).
 */
import type { AddressCopy } from '@shop/addresses';
import { DomainError, type Money } from '@shop/subgraph-kit';
import type { CartLine } from './cart-rules.ts';

/** The cart's copy of an address from the user's address book, as it was when chosen. */
export type ShippingAddress = AddressCopy;

export interface CheckoutChoices {
  shippingAddress: ShippingAddress | null;
  shippingMethodId: string | null;
  /** Normalized (upper case) as the quote that accepted it returned it. */
  discountCode: string | null;
}

export const NO_CHOICES: CheckoutChoices = Object.freeze({
  shippingAddress: null,
  shippingMethodId: null,
  discountCode: null,
});

/** What the order service is asked to price. */
export interface QuoteRequest {
  lines: { productId: string; quantity: number }[];
  country: string | null;
  shippingMethodId: string | null;
  discountCode: string | null;
}

export interface Totals {
  subtotal: Money;
  discount: Money;
  shipping: Money;
  tax: Money;
  total: Money;
}

export interface ShippingMethodInfo {
  id: string;
  name: string;
  carrier: string;
}

export interface ShippingOption {
  method: ShippingMethodInfo;
  price: Money;
  estimatedDays: { min: number; max: number };
}

/** Why a discount code does not apply, with the contract code to raise. */
export interface CheckoutProblem {
  code: string;
  reason: string;
  message: string;
}

/** The order service's quote of a cart (its `CheckoutQuote`). */
export interface CheckoutQuote {
  totals: Totals;
  lines: { productId: string; discount: Money; tax: Money }[];
  shippingOptions: ShippingOption[];
  shippingMethod: ShippingMethodInfo | null;
  shippingProblem: string | null;
  discountCode: string | null;
  discountProblem: CheckoutProblem | null;
}

export const MAX_DISCOUNT_CODE_LENGTH = 40;

/** The code as typed, trimmed: 1 to 40 characters (whether it exists is the quote's to say). */
export function discountCodeInput(code: string): string {
  const trimmed = code.trim();
  if (trimmed.length < 1 || trimmed.length > MAX_DISCOUNT_CODE_LENGTH)
    throw new DomainError(
      'BAD_USER_INPUT',
      `code must be 1 to ${MAX_DISCOUNT_CODE_LENGTH} characters`,
      { field: 'code' },
    );
  return trimmed;
}

/** The quote request for these lines and choices. */
export function quoteRequest(lines: readonly CartLine[], choices: CheckoutChoices): QuoteRequest {
  return {
    lines: lines.map((line) => ({ productId: line.productId, quantity: line.quantity })),
    country: choices.shippingAddress?.country ?? null,
    shippingMethodId: choices.shippingMethodId,
    discountCode: choices.discountCode,
  };
}

/** Why the quoted method does not ship this cart, or null when it does. */
export function shippingProblemOf(quote: CheckoutQuote): string | null {
  if (quote.shippingProblem) return quote.shippingProblem;
  return quote.shippingMethod ? null : 'This shipping method is not available for your cart.';
}

/** The refusal a quote's discount problem raises: its own contract code and message. */
export function discountRefusal(problem: CheckoutProblem): DomainError {
  const code = problem.code === 'CONFLICT' ? 'CONFLICT' : 'BAD_USER_INPUT';
  return new DomainError(code, problem.message, { field: 'code', reason: problem.reason });
}

const addressKey = (address: ShippingAddress | null): string =>
  address === null
    ? 'null'
    : JSON.stringify([
        address.id,
        address.recipient,
        address.phone,
        address.line1,
        address.line2,
        address.city,
        address.region,
        address.postalCode,
        address.country,
        address.isDefault,
      ]);

/** Whether two sets of choices are the same (used to detect a concurrent change). */
export const sameChoices = (a: CheckoutChoices, b: CheckoutChoices): boolean =>
  a.shippingMethodId === b.shippingMethodId &&
  a.discountCode === b.discountCode &&
  addressKey(a.shippingAddress) === addressKey(b.shippingAddress);
