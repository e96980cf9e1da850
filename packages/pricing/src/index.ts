/**
 * # @shop/pricing
 *
 * A checkout's totals (lines, discount codes, tax, shipping) without any I/O: the cart and order
 * services load the data and call it, so the cart, the order, its events, analytics and the
 * storefront show the same cents. Everything it takes and returns is plain JSON-safe data, so an
 * order can store its input and result as a snapshot.
 *
 * ## Use
 * - `checkDiscount(code, { lines, store, now, timesUsed, customerTimesUsed })` -> the applicable
 *   discount, or a refusal with a stable `reason`, a customer `message` and a `contractCode`.
 * - `shippingOptions(lines, country, setup, { discount })` -> quotes, cheapest first;
 *   `quoteMethod(methodId, lines, country, setup, { discount })` -> a quote or a refusal.
 * - `priceCheckout({ lines, store, taxTable, country?, shipping?, discount? })` -> CheckoutTotals;
 *   `contractTotals(totals)` -> the contract's `Totals` as Money.
 * - Errors: PricingRefusal (UnknownTaxCountryError, ShippingUnavailableError) carries the
 *   contract code to raise and a customer message; PricingInputError is malformed data (a bug).
 *
 * ## Rules
 * - Money: integer minor units held in `number`, always safe integers (checked, never rounded);
 *   products and quotients go through bigint. `toMinorUnits`/`fromMinorUnits` convert to and from
 *   the contract's decimal-string Money (the same parser as `toCents`/`fromCents`). Currencies
 *   have two minor digits, like the contract's Money.
 * - Prices, fixed discounts, shipping rates and thresholds are all in the store's price mode,
 *   NET or GROSS.
 * - Tax rates: integer basis points by country (ISO alpha-2) and class; ZERO is 0 everywhere.
 *   NET: tax = round(discounted net x rate), added. GROSS: tax = discounted gross -
 *   round(discounted gross / (1 + rate)), included (shown, not added).
 * - Rounding: half-even (banker's), per line; also once for the shipping tax and once for a
 *   percentage discount's total. Never on a sum.
 * - Shipping is taxed at the destination's STANDARD rate, by the same rule.
 * - No destination country yet: no tax at all (0, rates null) and no shipping; a NET total grows
 *   once the address is known, a GROSS one does not. A country not in the tax table:
 *   UnknownTaxCountryError (BAD_USER_INPUT).
 * - Discounts: percentage of, or fixed amount capped at, the eligible lines' subtotal; split over
 *   them in proportion by the largest-remainder method (ties by product id), so the parts add up
 *   exactly and every product gets the same cents whatever the line order; tax is on the
 *   discounted line amounts. FREE_SHIPPING waives the shipping charge.
 * - The minimum subtotal is compared with the whole merchandise subtotal before discount.
 * - Free above: compared with the merchandise subtotal after discount, as the customer sees it
 *   (gross in GROSS mode, net in NET mode); exactly the threshold is free.
 * - Validity: startsAt inclusive, endsAt exclusive, against the `now` passed in.
 * - Invariants: NET total = subtotal - discount + shipping + tax (tax includes shipping tax);
 *   GROSS total = subtotal - discount + shipping; the lines add up to the totals; nothing is
 *   negative (checkTotalsInvariants).
 *
 * - Returns: `refundForReturn(order, returning, alreadyReturned)` -> each line's share by units of
 *   what it paid (cumulative, so partial returns add up to the line exactly), plus shipping only
 *   when the whole order comes back.
 *
 * Modules: money, model, rounding, allocation, tax, discount, shipping, totals, refund; the details and
 * the reasons are at the top of each. Test vectors: `@shop/pricing/fixtures`.
 */
export * from './money.ts';
export * from './errors.ts';
export * from './model.ts';
export * from './rounding.ts';
export * from './allocation.ts';
export * from './tax.ts';
export * from './discount.ts';
export * from './shipping.ts';
export * from './totals.ts';
export * from './refund.ts';
