/**
 * Shipping: zones (sets of countries), methods shipping to one zone, and what a method costs for
 * a cart.
 *
 * Rules:
 * - A method ships to the countries of its zone and nowhere else (quoteMethod refuses with
 *   NOT_SHIPPED_TO_COUNTRY); a country may be in several zones and is offered the methods of all.
 * - FLAT costs its amount; BY_WEIGHT costs the first tier whose `upToGrams` (inclusive) the cart's
 *   weight (unit weight x quantity, summed) does not exceed. A last tier with `upToGrams: null` is
 *   open-ended; without one, a heavier cart is refused (TOO_HEAVY) rather than guessed at.
 * - `freeAbove`: shipping is free when the merchandise subtotal AFTER discount, in the store's
 *   price mode (gross in a GROSS store, net in a NET store: the figure the customer sees), is at
 *   or above it. Exactly the threshold is free; one cent less pays.
 * - A FREE_SHIPPING code waives the charge of whichever method is chosen.
 * - Rates and thresholds are in the store's price mode; tax on shipping is added (NET) or
 *   included (GROSS) by totals.ts at the destination's STANDARD rate.
 */
import { discountPerLine, waivesShipping, type ApplicableDiscount } from './discount.ts';
import { PricingInputError, PricingRefusal } from './errors.ts';
import {
  assertMinorUnits,
  assertWholeNumber,
  merchandiseSubtotal,
  sumSafe,
  totalWeightGrams,
  validateCountry,
  validateLines,
  type PricingLine,
} from './model.ts';

export interface ShippingZone {
  id: string;
  name: string;
  /** ISO 3166-1 alpha-2 codes. */
  countries: readonly string[];
}

export interface DayRange {
  min: number;
  max: number;
}

export interface WeightTier {
  /** Inclusive upper bound in grams; null on the last tier for "any weight above". */
  upToGrams: number | null;
  /** Minor units, store's price mode. */
  amount: number;
}

export type ShippingRate =
  | { kind: 'FLAT'; amount: number }
  /** Tiers in increasing `upToGrams`. */
  | { kind: 'BY_WEIGHT'; tiers: readonly WeightTier[] };

export interface ShippingMethod {
  id: string;
  name: string;
  carrier: string;
  zoneId: string;
  estimatedDays: DayRange;
  rate: ShippingRate;
  /** Free at or above this merchandise subtotal after discount (minor units); null: never. */
  freeAbove: number | null;
}

/** The store's shipping configuration (or as much of it as the caller loaded). */
export interface ShippingSetup {
  zones: readonly ShippingZone[];
  methods: readonly ShippingMethod[];
}

export type FreeShippingReason = 'FREE_ABOVE' | 'DISCOUNT_CODE';

/** What one method costs for one cart and destination; the order keeps it as its snapshot. */
export interface ShippingQuote {
  methodId: string;
  name: string;
  carrier: string;
  zoneId: string;
  estimatedDays: DayRange;
  weightGrams: number;
  /** The method's rate for this weight, before any waiver. */
  listPrice: number;
  /** What the customer pays: listPrice, or 0 when free. */
  price: number;
  free: FreeShippingReason | null;
}

export const SHIPPING_REFUSAL_REASONS = [
  'UNKNOWN_METHOD',
  'NOT_SHIPPED_TO_COUNTRY',
  'TOO_HEAVY',
] as const;
export type ShippingRefusalReason = (typeof SHIPPING_REFUSAL_REASONS)[number];

export type ShippingQuoteResult =
  | { ok: true; quote: ShippingQuote }
  | { ok: false; reason: ShippingRefusalReason; message: string };

/** A chosen method that cannot ship this cart there (thrown by priceCheckout). */
export class ShippingUnavailableError extends PricingRefusal {
  constructor(
    readonly reason: ShippingRefusalReason,
    message: string,
  ) {
    super('BAD_USER_INPUT', message);
    this.name = 'ShippingUnavailableError';
  }
}

export interface QuoteOptions {
  /** The cart's applicable discount: it lowers the subtotal freeAbove compares with, or waives. */
  discount?: ApplicableDiscount | null;
}

export function validateMethod(method: ShippingMethod): void {
  const at = `shipping method ${method.id}`;
  assertWholeNumber(method.estimatedDays.min, `${at} minimum days`);
  assertWholeNumber(method.estimatedDays.max, `${at} maximum days`, method.estimatedDays.min);
  if (method.freeAbove !== null) assertMinorUnits(method.freeAbove, `${at} free-above threshold`);
  const { rate } = method;
  if (rate.kind === 'FLAT') {
    assertMinorUnits(rate.amount, `${at} rate`);
    return;
  }
  if (rate.kind !== 'BY_WEIGHT') throw new PricingInputError(`${at} has an unknown rate kind`);
  if (rate.tiers.length === 0) throw new PricingInputError(`${at} has no weight tiers`);
  let previous = -1;
  rate.tiers.forEach((tier, i) => {
    assertMinorUnits(tier.amount, `${at} tier ${i + 1} amount`);
    const last = i === rate.tiers.length - 1;
    if (tier.upToGrams === null) {
      if (!last) throw new PricingInputError(`${at}: only the last tier may be open-ended`);
      return;
    }
    assertWholeNumber(tier.upToGrams, `${at} tier ${i + 1} weight`);
    if (tier.upToGrams <= previous)
      throw new PricingInputError(`${at}: tiers must be in increasing weight`);
    previous = tier.upToGrams;
  });
}

/** The rate for `weightGrams`, or null when it is above the last, closed tier. */
function listPrice(rate: ShippingRate, weightGrams: number): number | null {
  if (rate.kind === 'FLAT') return rate.amount;
  const tier = rate.tiers.find((t) => t.upToGrams === null || weightGrams <= t.upToGrams);
  return tier ? tier.amount : null;
}

const kilograms = (grams: number) => `${grams / 1000} kg`;

/** What every quote for one cart needs, worked out once. */
interface CartFacts {
  country: string;
  weightGrams: number;
  /** Merchandise subtotal after discount, store's price mode: what freeAbove compares with. */
  afterDiscount: number;
  waived: boolean;
}

function cartFacts(
  lines: readonly PricingLine[],
  country: string,
  options: QuoteOptions,
): CartFacts {
  validateLines(lines);
  validateCountry(country);
  return {
    country,
    weightGrams: totalWeightGrams(lines),
    afterDiscount: merchandiseSubtotal(lines) - sumSafe(discountPerLine(options.discount, lines)),
    waived: waivesShipping(options.discount),
  };
}

function quote(method: ShippingMethod, cart: CartFacts, setup: ShippingSetup): ShippingQuoteResult {
  const { country, weightGrams } = cart;
  validateMethod(method);
  const zone = setup.zones.find((z) => z.id === method.zoneId);
  if (!zone) throw new PricingInputError(`shipping method ${method.id} has no zone in the setup`);
  if (!zone.countries.includes(country))
    return {
      ok: false,
      reason: 'NOT_SHIPPED_TO_COUNTRY',
      message: `${method.name} does not ship to ${country} (it ships to ${zone.name}).`,
    };
  const price = listPrice(method.rate, weightGrams);
  if (price === null) {
    const tiers = method.rate.kind === 'BY_WEIGHT' ? method.rate.tiers : [];
    const limit = tiers[tiers.length - 1]?.upToGrams ?? 0;
    return {
      ok: false,
      reason: 'TOO_HEAVY',
      message: `${method.name} takes parcels up to ${kilograms(limit)}; this cart weighs ${kilograms(weightGrams)}.`,
    };
  }
  const free: FreeShippingReason | null =
    method.freeAbove !== null && cart.afterDiscount >= method.freeAbove
      ? 'FREE_ABOVE'
      : cart.waived
        ? 'DISCOUNT_CODE'
        : null;
  return {
    ok: true,
    quote: {
      methodId: method.id,
      name: method.name,
      carrier: method.carrier,
      zoneId: zone.id,
      estimatedDays: { min: method.estimatedDays.min, max: method.estimatedDays.max },
      weightGrams,
      listPrice: price,
      price: free ? 0 : price,
      free,
    },
  };
}

/**
 * The price of `methodId` for this cart and country, or why it cannot ship it. UNKNOWN_METHOD
 * when the setup has no such method.
 */
export function quoteMethod(
  methodId: string,
  lines: readonly PricingLine[],
  country: string,
  setup: ShippingSetup,
  options: QuoteOptions = {},
): ShippingQuoteResult {
  const cart = cartFacts(lines, country, options);
  const method = setup.methods.find((m) => m.id === methodId);
  if (!method)
    return {
      ok: false,
      reason: 'UNKNOWN_METHOD',
      message: `There is no shipping method ${methodId}.`,
    };
  return quote(method, cart, setup);
}

/**
 * Quotes for every method that ships this cart to `country`, cheapest first, then by name (then
 * id, so the order is total). Methods that cannot take the cart's weight are left out; an empty
 * list means nothing ships there.
 */
export function shippingOptions(
  lines: readonly PricingLine[],
  country: string,
  setup: ShippingSetup,
  options: QuoteOptions = {},
): ShippingQuote[] {
  const cart = cartFacts(lines, country, options);
  const quotes: ShippingQuote[] = [];
  for (const method of setup.methods) {
    const result = quote(method, cart, setup);
    if (result.ok) quotes.push(result.quote);
  }
  const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return quotes.sort(
    (a, b) => a.price - b.price || byCodeUnit(a.name, b.name) || byCodeUnit(a.methodId, b.methodId),
  );
}
