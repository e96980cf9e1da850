/**
 * Small rules of the checkout as the shopper sees it: how the totals read, how a delivery
 * estimate reads, and which control an error of the API belongs to.
 */
import type { ShopError } from './errors.ts';
import { toMinorUnits, type MoneyValue } from './money.ts';

export interface TotalsValue {
  subtotal: MoneyValue;
  discount: MoneyValue;
  shipping: MoneyValue;
  tax: MoneyValue;
  total: MoneyValue;
}

/**
 * Whether the tax is a part of the prices (a store that enters prices gross) rather than added
 * on top (net): the total is then subtotal - discount + shipping, tax included. Decided from the
 * figures themselves, so the page needs no store setting. False when there is no tax.
 */
export function taxIncluded(totals: TotalsValue): boolean {
  const [subtotal, discount, shipping, tax, total] = [
    totals.subtotal,
    totals.discount,
    totals.shipping,
    totals.tax,
    totals.total,
  ].map((money) => toMinorUnits(money.amount));
  if (
    subtotal == null ||
    discount == null ||
    shipping == null ||
    tax == null ||
    total == null ||
    tax === 0n
  )
    return false;
  return total === subtotal - discount + shipping;
}

/** "3–6 business days", "1 day", "2 days". */
export function formatDays(range: { min: number; max: number }): string {
  if (range.min === range.max) return `${range.min} day${range.min === 1 ? '' : 's'}`;
  return `${range.min}–${range.max} days`;
}

/** The checkout's controls an error can be about. */
export type CheckoutControl = 'address' | 'method' | 'code' | 'other';

/**
 * Which control an error of placeOrder or of a checkout mutation belongs to, from its
 * `extensions.field`: placeOrder names `shippingAddress`, `shippingMethod` or `discountCode`;
 * setCartShippingMethod names `methodId`; applyDiscountCode names `code`.
 */
export function controlOf(error: ShopError): CheckoutControl {
  switch (error.field) {
    case 'shippingAddress':
    case 'addressId':
      return 'address';
    case 'shippingMethod':
    case 'methodId':
      return 'method';
    case 'discountCode':
    case 'code':
      return 'code';
    default:
      return 'other';
  }
}

/**
 * placeOrder's messages for a missing address or method name the API's mutations (they are
 * written for API clients): the shopper reads what to do on this page instead.
 */
export const MISSING_CHOICE = {
  address: 'Choose where to ship the order.',
  method: 'Choose a shipping method.',
} as const;

/** The error as the shopper reads it next to its control. */
export function checkoutMessage(error: ShopError): string {
  if (error.code === 'BAD_USER_INPUT') {
    if (error.field === 'shippingAddress') return MISSING_CHOICE.address;
    if (error.field === 'shippingMethod' && /^Choose a shipping method/.test(error.message))
      return MISSING_CHOICE.method;
  }
  return error.message;
}

interface AddressLike {
  id: string;
  recipient: string;
  phone: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string;
  country: string;
  isDefault: boolean;
}

const ADDRESS_VALUES = [
  'recipient',
  'phone',
  'line1',
  'line2',
  'city',
  'region',
  'postalCode',
  'country',
] as const;

export const sameAddress = (a: AddressLike, b: AddressLike): boolean =>
  ADDRESS_VALUES.every((key) => a[key] === b[key]);

/**
 * The address the checkout chooses by itself when it opens, or null: the default address (or
 * the only one) when the cart has none yet; the book's current version when the cart holds an
 * older copy of an address edited since (the cart keeps a copy taken when it was chosen, and the
 * shopper who edited it means the new one).
 */
export function addressToChoose(
  cartAddress: AddressLike | null,
  book: readonly AddressLike[],
): string | null {
  if (!cartAddress) return (book.find((a) => a.isDefault) ?? book[0])?.id ?? null;
  const entry = book.find((a) => a.id === cartAddress.id);
  return entry && !sameAddress(entry, cartAddress) ? entry.id : null;
}
