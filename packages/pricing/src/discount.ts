/**
 * Discount codes: whether one applies to a cart (`checkDiscount`, with a stable reason when
 * not), and how much it takes off each line (`discountPerLine`).
 *
 * Rules:
 * - PERCENTAGE takes round_half_even(eligible subtotal x percentage) once, then splits it over
 *   the eligible lines (largest remainder, allocation.ts); FIXED_AMOUNT takes its amount, capped
 *   at the eligible subtotal, split the same way; FREE_SHIPPING takes nothing off the lines and
 *   waives the shipping charge (shipping.ts). Amounts are in the store's price mode: a fixed
 *   10.00 is 10.00 off gross prices in a GROSS store, off net prices in a NET store.
 * - The eligible subtotal is the lines the code applies to (all products, some categories
 *   including their subcategories, or some products), before discount.
 * - The minimum subtotal is compared with the WHOLE merchandise subtotal before discount (what the
 *   cart shows above the discount line), not with the eligible part: "orders over 50.00".
 * - Validity: startsAt inclusive, endsAt exclusive, against the `now` passed in (pricing never
 *   reads the clock, so a test or a replay prices as of its own time).
 * - Usage limits are compared with counts the caller read (uses by placed, not cancelled
 *   orders). Counting a use exactly once under concurrency is the order service's job; this
 *   only says whether the counts it read still leave one.
 * An unknown code is the caller's to report: pricing is handed codes that exist.
 */
import { allocateProportionally } from './allocation.ts';
import { PricingInputError, type RefusalContractCode } from './errors.ts';
import { fromMinorUnits } from './money.ts';
import {
  assertMinorUnits,
  assertWholeNumber,
  lineAmount,
  merchandiseSubtotal,
  sumSafe,
  validateLines,
  validateStore,
  type PricingLine,
  type StoreSettings,
} from './model.ts';
import { scaleHalfEven } from './rounding.ts';

export type DiscountBenefit =
  /** basisPoints from 1 (0.01 %) to 10000 (100 %). */
  | { kind: 'PERCENTAGE'; basisPoints: number }
  /** Minor units, at least 1, in the store's price mode. */
  | { kind: 'FIXED_AMOUNT'; amount: number }
  | { kind: 'FREE_SHIPPING' };
export type DiscountKind = DiscountBenefit['kind'];

export type DiscountScope =
  | { kind: 'ALL_PRODUCTS' }
  /** Products in these categories or their subcategories (see PricingLine.ancestorCategoryIds). */
  | { kind: 'CATEGORIES'; categoryIds: readonly string[] }
  | { kind: 'PRODUCTS'; productIds: readonly string[] };

/** A discount code as the store defines it. */
export interface DiscountCode {
  code: string;
  benefit: DiscountBenefit;
  appliesTo: DiscountScope;
  /** Minor units, store's price mode; compared with the whole merchandise subtotal. */
  minSubtotal: number | null;
  /** ISO 8601 instants; startsAt inclusive, endsAt exclusive; null is open. */
  startsAt: string | null;
  endsAt: string | null;
  disabled: boolean;
  usageLimit: number | null;
  perCustomerLimit: number | null;
}

/** What a cart or order keeps of a code that applies: enough to price it, plain data. */
export interface ApplicableDiscount {
  code: string;
  benefit: DiscountBenefit;
  appliesTo: DiscountScope;
}

export interface DiscountContext {
  lines: readonly PricingLine[];
  store: StoreSettings;
  now: Date;
  /** Uses of the code so far by all customers. */
  timesUsed: number;
  /** Uses of the code so far by this customer (0 for a guest). */
  customerTimesUsed: number;
}

export const DISCOUNT_REFUSAL_REASONS = [
  'DISABLED',
  'NOT_YET_VALID',
  'EXPIRED',
  'USED_UP',
  'CUSTOMER_LIMIT_REACHED',
  'NOT_APPLICABLE',
  'BELOW_MINIMUM',
] as const;
export type DiscountRefusalReason = (typeof DISCOUNT_REFUSAL_REASONS)[number];

/**
 * The contract code to raise for each refusal: the code's own state running out (its uses, the
 * customer's uses) is a CONFLICT; anything about the cart or the dates is BAD_USER_INPUT.
 */
export const DISCOUNT_REFUSAL_CONTRACT_CODES: Readonly<
  Record<DiscountRefusalReason, RefusalContractCode>
> = {
  DISABLED: 'BAD_USER_INPUT',
  NOT_YET_VALID: 'BAD_USER_INPUT',
  EXPIRED: 'BAD_USER_INPUT',
  USED_UP: 'CONFLICT',
  CUSTOMER_LIMIT_REACHED: 'CONFLICT',
  NOT_APPLICABLE: 'BAD_USER_INPUT',
  BELOW_MINIMUM: 'BAD_USER_INPUT',
};

export type DiscountCheck =
  | { ok: true; discount: ApplicableDiscount }
  | {
      ok: false;
      reason: DiscountRefusalReason;
      /** For the customer; the caller raises it with `contractCode`. */
      message: string;
      contractCode: RefusalContractCode;
    };

function instant(value: string | null, what: string): number | null {
  if (value === null) return null;
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new PricingInputError(`${what} is not a date: ${value}`);
  return time;
}

/** A malformed code (a 0 % or 150 % discount, a negative limit) is bad data: PricingInputError. */
function validateApplicable({ code, benefit, appliesTo }: ApplicableDiscount): void {
  const at = `discount code ${code}`;
  if (benefit.kind === 'PERCENTAGE') {
    assertWholeNumber(benefit.basisPoints, `${at} percentage (basis points)`, 1);
    if (benefit.basisPoints > 10_000) throw new PricingInputError(`${at} is more than 100 %`);
  } else if (benefit.kind === 'FIXED_AMOUNT') {
    assertWholeNumber(benefit.amount, `${at} amount`, 1);
  } else if (benefit.kind !== 'FREE_SHIPPING') {
    throw new PricingInputError(`${at} has an unknown kind`);
  }
  if (!['ALL_PRODUCTS', 'CATEGORIES', 'PRODUCTS'].includes(appliesTo.kind))
    throw new PricingInputError(`${at} has an unknown scope`);
}

export function validateDiscountCode(code: DiscountCode): void {
  validateApplicable(code);
  const at = `discount code ${code.code}`;
  if (code.minSubtotal !== null) assertMinorUnits(code.minSubtotal, `${at} minimum subtotal`);
  if (code.usageLimit !== null) assertWholeNumber(code.usageLimit, `${at} usage limit`);
  if (code.perCustomerLimit !== null)
    assertWholeNumber(code.perCustomerLimit, `${at} per-customer limit`);
  instant(code.startsAt, `${at} start`);
  instant(code.endsAt, `${at} end`);
}

export function appliesToLine(scope: DiscountScope, line: PricingLine): boolean {
  switch (scope.kind) {
    case 'ALL_PRODUCTS':
      return true;
    case 'PRODUCTS':
      return scope.productIds.includes(line.productId);
    case 'CATEGORIES':
      return (
        scope.categoryIds.includes(line.categoryId) ||
        (line.ancestorCategoryIds ?? []).some((id) => scope.categoryIds.includes(id))
      );
  }
}

/** Whether the code, applying to this cart, means the customer pays no shipping. */
export function waivesShipping(discount: ApplicableDiscount | null | undefined): boolean {
  return discount?.benefit.kind === 'FREE_SHIPPING';
}

/**
 * Decides whether `code` applies to the cart in `context`. Checked in this order: first what no
 * change to the cart can fix (disabled, not yet valid, expired, used up, the customer's limit),
 * then the cart: "nothing it applies to" before "below the minimum", since spending more on
 * products the code does not cover would not help.
 */
export function checkDiscount(code: DiscountCode, context: DiscountContext): DiscountCheck {
  validateDiscountCode(code);
  validateStore(context.store);
  validateLines(context.lines);
  assertWholeNumber(context.timesUsed, 'times used');
  assertWholeNumber(context.customerTimesUsed, "customer's times used");
  const now = context.now.getTime();
  if (Number.isNaN(now)) throw new PricingInputError('now is not a date');
  const name = code.code;
  const refuse = (reason: DiscountRefusalReason, message: string): DiscountCheck => ({
    ok: false,
    reason,
    message,
    contractCode: DISCOUNT_REFUSAL_CONTRACT_CODES[reason],
  });
  const money = (minor: number) => {
    const { amount, currency } = fromMinorUnits(minor, context.store.currency);
    return `${amount} ${currency}`;
  };

  if (code.disabled) return refuse('DISABLED', `The discount code ${name} is no longer active.`);
  const startsAt = instant(code.startsAt, 'start');
  if (startsAt !== null && now < startsAt)
    return refuse(
      'NOT_YET_VALID',
      `The discount code ${name} is valid from ${new Date(startsAt).toISOString()}.`,
    );
  const endsAt = instant(code.endsAt, 'end');
  if (endsAt !== null && now >= endsAt)
    return refuse(
      'EXPIRED',
      `The discount code ${name} expired at ${new Date(endsAt).toISOString()}.`,
    );
  if (code.usageLimit !== null && context.timesUsed >= code.usageLimit)
    return refuse('USED_UP', `The discount code ${name} has been used up.`);
  if (code.perCustomerLimit !== null && context.customerTimesUsed >= code.perCustomerLimit)
    return refuse(
      'CUSTOMER_LIMIT_REACHED',
      `You have already used the discount code ${name} as often as it allows (${code.perCustomerLimit}).`,
    );
  if (!context.lines.some((line) => appliesToLine(code.appliesTo, line)))
    return refuse(
      'NOT_APPLICABLE',
      `The discount code ${name} does not apply to anything in your cart.`,
    );
  const subtotal = merchandiseSubtotal(context.lines);
  if (code.minSubtotal !== null && subtotal < code.minSubtotal)
    return refuse(
      'BELOW_MINIMUM',
      `The discount code ${name} needs a subtotal of at least ${money(code.minSubtotal)}; your cart has ${money(subtotal)}.`,
    );
  return { ok: true, discount: { code: name, benefit: code.benefit, appliesTo: code.appliesTo } };
}

/**
 * What the discount takes off each line, in line order, in the store's price mode: never more
 * than the line's amount, and adding up exactly to the discount's total (0 for every line
 * without a discount or with FREE_SHIPPING). It does not re-check validity or the minimum:
 * callers check the code with checkDiscount against the same lines first.
 */
export function discountPerLine(
  discount: ApplicableDiscount | null | undefined,
  lines: readonly PricingLine[],
): number[] {
  const amounts = lines.map(lineAmount);
  if (discount) validateApplicable(discount);
  if (!discount || discount.benefit.kind === 'FREE_SHIPPING') return amounts.map(() => 0);
  const eligible = lines.map((line, i) =>
    appliesToLine(discount.appliesTo, line) ? (amounts[i] ?? 0) : 0,
  );
  const eligibleSubtotal = sumSafe(eligible);
  const total =
    discount.benefit.kind === 'PERCENTAGE'
      ? scaleHalfEven(eligibleSubtotal, discount.benefit.basisPoints, 10_000)
      : Math.min(discount.benefit.amount, eligibleSubtotal);
  return allocateProportionally(
    total,
    eligible,
    lines.map((line) => line.productId),
  );
}
