/**
 * Property checks of priceCheckout over generated carts, codes, rates and shipping methods
 * (fast-check, which shrinks a failure to a small cart). The checks do not re-implement the
 * rules: they test what must hold whatever the figures (the invariants, exact allocation, each
 * rounding within half a cent with exact halves even, line order not mattering, plain data).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appliesToLine, type ApplicableDiscount } from '../src/discount.ts';
import { TAX_CLASSES, type PriceMode, type PricingLine } from '../src/model.ts';
import type { ShippingMethod, ShippingSetup } from '../src/shipping.ts';
import type { TaxTable } from '../src/tax.ts';
import { checkTotalsInvariants, priceCheckout, type CheckoutInput } from '../src/totals.ts';

const CATEGORIES = ['a', 'b', 'c'];
const PRODUCTS = Array.from({ length: 8 }, (_, i) => `p${i}`);

const linesArb = fc
  .array(
    fc.record({
      categoryId: fc.constantFrom(...CATEGORIES),
      quantity: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 50 })),
      // Small prices hit the rounding edges often, repeated ones tie in the allocation, large
      // ones exercise the bigint products.
      unitPrice: fc.oneof(
        fc.integer({ min: 0, max: 60 }),
        fc.constantFrom(15, 100, 499),
        fc.integer({ min: 0, max: 5_000_000 }),
      ),
      weightGrams: fc.integer({ min: 0, max: 20_000 }),
      taxClass: fc.constantFrom(...TAX_CLASSES),
    }),
    { maxLength: PRODUCTS.length },
  )
  .map((lines): PricingLine[] => lines.map((line, i) => ({ ...line, productId: `p${i}` })));

const rateArb = fc.oneof(
  fc.constantFrom(0, 550, 700, 1900, 2000, 2500),
  fc.integer({ min: 0, max: 10_000 }),
);
const taxTableArb = fc
  .record({
    XX: fc.record({ STANDARD: rateArb, REDUCED: rateArb }),
    YY: fc.record({ STANDARD: rateArb, REDUCED: rateArb }),
  })
  .map((table): TaxTable => table);

const discountArb: fc.Arbitrary<ApplicableDiscount | null> = fc.option(
  fc.record({
    code: fc.constant('CODE'),
    benefit: fc.oneof(
      fc.record({
        kind: fc.constant('PERCENTAGE' as const),
        basisPoints: fc.integer({ min: 1, max: 10_000 }),
      }),
      fc.record({
        kind: fc.constant('FIXED_AMOUNT' as const),
        amount: fc.integer({ min: 1, max: 20_000_000 }),
      }),
      fc.constant({ kind: 'FREE_SHIPPING' as const }),
    ),
    appliesTo: fc.oneof(
      fc.constant({ kind: 'ALL_PRODUCTS' as const }),
      fc.record({ kind: fc.constant('CATEGORIES' as const), categoryIds: fc.subarray(CATEGORIES) }),
      fc.record({ kind: fc.constant('PRODUCTS' as const), productIds: fc.subarray(PRODUCTS) }),
    ),
  }),
);

const methodArb: fc.Arbitrary<ShippingMethod> = fc.record({
  id: fc.constant('m'),
  name: fc.constant('Method'),
  carrier: fc.constant('Carrier'),
  zoneId: fc.constant('z'),
  estimatedDays: fc.constant({ min: 1, max: 3 }),
  freeAbove: fc.option(fc.integer({ min: 0, max: 100_000 })),
  rate: fc.oneof(
    fc.record({ kind: fc.constant('FLAT' as const), amount: fc.integer({ min: 0, max: 5_000 }) }),
    fc
      .tuple(
        fc.uniqueArray(fc.integer({ min: 1, max: 100_000 }), { maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 5, maxLength: 5 }),
      )
      .map(([bounds, amounts]) => ({
        kind: 'BY_WEIGHT' as const,
        // Open-ended last tier, so every cart can be quoted (refusals are tested elsewhere).
        tiers: [...[...bounds].sort((a, b) => a - b), null].map((upToGrams, i) => ({
          upToGrams,
          amount: amounts[i] ?? 0,
        })),
      })),
  ),
});

const checkoutArb: fc.Arbitrary<CheckoutInput> = fc
  .record({
    lines: linesArb,
    priceMode: fc.constantFrom<PriceMode>('NET', 'GROSS'),
    taxTable: taxTableArb,
    country: fc.constantFrom('XX', 'YY', null),
    method: fc.option(methodArb),
    discount: discountArb,
  })
  .map(({ lines, priceMode, taxTable, country, method, discount }) => {
    const setup: ShippingSetup = {
      zones: [{ id: 'z', name: 'Zone', countries: ['XX', 'YY'] }],
      methods: method ? [method] : [],
    };
    return {
      lines,
      store: { priceMode, currency: 'EUR' },
      taxTable,
      country,
      shipping: method && country ? { methodId: method.id, setup } : null,
      discount,
    };
  });

const RUNS = { numRuns: 400 };

describe('priceCheckout on generated carts', () => {
  it('keeps every stated invariant (parts sum to totals, nothing negative)', () => {
    fc.assert(
      fc.property(checkoutArb, (input) => {
        expect(checkTotalsInvariants(priceCheckout(input))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('takes exactly the discount the code gives, split exactly over the eligible lines', () => {
    fc.assert(
      fc.property(checkoutArb, (input) => {
        const totals = priceCheckout(input);
        const discount = input.discount;
        const eligible = input.lines.map((line) =>
          discount && appliesToLine(discount.appliesTo, line) ? line.unitPrice * line.quantity : 0,
        );
        const eligibleSum = eligible.reduce((a, b) => a + b, 0);
        totals.lines.forEach((line, i) => {
          if ((eligible[i] ?? 0) === 0) expect(line.discount).toBe(0);
        });
        if (!discount || discount.benefit.kind === 'FREE_SHIPPING') {
          expect(totals.discount).toBe(0);
        } else if (discount.benefit.kind === 'FIXED_AMOUNT') {
          expect(totals.discount).toBe(Math.min(discount.benefit.amount, eligibleSum));
        } else {
          // Within half a cent of the exact percentage; an exact half goes to the even cent.
          const twiceError =
            2n * BigInt(totals.discount) * 10_000n -
            2n * BigInt(eligibleSum) * BigInt(discount.benefit.basisPoints);
          expect(twiceError <= 10_000n && twiceError >= -10_000n).toBe(true);
          if (twiceError === 10_000n || twiceError === -10_000n)
            expect(totals.discount % 2).toBe(0);
        }
      }),
      RUNS,
    );
  });

  it('rounds every tax half-even, within half a cent of the exact figure', () => {
    fc.assert(
      fc.property(checkoutArb, (input) => {
        const totals = priceCheckout(input);
        const taxed = totals.lines.map((line) => ({
          amount: line.lineTotal - line.discount,
          tax: line.tax,
          rate: line.taxRateBp,
        }));
        const standard = input.country ? input.taxTable[input.country]!.STANDARD : null;
        taxed.push({ amount: totals.shipping, tax: totals.shippingTax, rate: standard });
        for (const { amount, tax, rate } of taxed) {
          if (rate === null) {
            expect(tax).toBe(0);
            continue;
          }
          const [a, t, r] = [BigInt(amount), BigInt(tax), BigInt(rate)];
          // rounded value x denominator against the exact numerator, doubled to stay whole
          const [rounded, numerator, denominator] =
            totals.priceMode === 'NET' ? [t, a * r, 10_000n] : [a - t, a * 10_000n, 10_000n + r];
          const twiceError = 2n * rounded * denominator - 2n * numerator;
          expect(twiceError <= denominator && twiceError >= -denominator).toBe(true);
          if (twiceError === denominator || twiceError === -denominator)
            expect(rounded % 2n).toBe(0n);
        }
      }),
      RUNS,
    );
  });

  it('gives each product the same figures whatever the line order', () => {
    fc.assert(
      fc.property(checkoutArb, (input) => {
        const forward = priceCheckout(input);
        const backward = priceCheckout({ ...input, lines: [...input.lines].reverse() });
        const byProduct = (lines: typeof forward.lines) =>
          Object.fromEntries(lines.map((line) => [line.productId, line]));
        expect(byProduct(backward.lines)).toEqual(byProduct(forward.lines));
        expect({ ...backward, lines: [] }).toEqual({ ...forward, lines: [] });
      }),
      RUNS,
    );
  });

  it('GROSS: the total is the same whatever the destination', () => {
    fc.assert(
      fc.property(checkoutArb, (input) => {
        if (input.store.priceMode !== 'GROSS' || input.country === null) return;
        const xx = priceCheckout({ ...input, country: 'XX' });
        const yy = priceCheckout({ ...input, country: 'YY' });
        expect(yy.total).toBe(xx.total);
      }),
      RUNS,
    );
  });

  it('returns plain data that survives a JSON round trip', () => {
    fc.assert(
      fc.property(checkoutArb, (input) => {
        const totals = priceCheckout(input);
        expect(JSON.parse(JSON.stringify(totals))).toEqual(totals);
      }),
      { numRuns: 100 },
    );
  });
});
