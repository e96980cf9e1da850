import { describe, expect, it } from 'vitest';
import { checkDiscount } from '../src/discount.ts';
import { PricingInputError, UnknownTaxCountryError } from '../src/errors.ts';
import {
  DISCOUNT_REFUSAL_VECTORS,
  FIXTURE_NOW,
  FIXTURE_SHIPPING,
  FIXTURE_TAX_TABLE,
  PRICING_VECTORS,
  fixtureDiscountCode,
  fixtureLines,
  fixtureStore,
  vectorInput,
} from '../src/fixtures/index.ts';
import type { PricingLine } from '../src/model.ts';
import { ShippingUnavailableError, shippingOptions, type ShippingSetup } from '../src/shipping.ts';
import {
  checkTotalsInvariants,
  contractTotals,
  priceCheckout,
  type CheckoutInput,
} from '../src/totals.ts';

describe('test vectors', () => {
  it.each(PRICING_VECTORS.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const input = vectorInput(vector);
    if (vector.discountCode) {
      const check = checkDiscount(fixtureDiscountCode(vector.discountCode), {
        lines: input.lines,
        store: input.store,
        now: new Date(FIXTURE_NOW),
        timesUsed: 0,
        customerTimesUsed: 0,
      });
      expect(check.ok, vector.discountCode).toBe(true);
    }
    const totals = priceCheckout(input);
    const { lines, ...expected } = vector.expected;
    expect({
      subtotal: totals.subtotal,
      discount: totals.discount,
      shipping: totals.shipping,
      shippingTax: totals.shippingTax,
      tax: totals.tax,
      total: totals.total,
    }).toEqual(expected);
    expect(
      totals.lines.map((l) => ({ productId: l.productId, discount: l.discount, tax: l.tax })),
    ).toEqual(lines);
    expect(checkTotalsInvariants(totals)).toEqual([]);
    // The option list quotes the chosen method at the price the totals charge.
    if (vector.shippingMethodId && vector.country) {
      const options = shippingOptions(input.lines, vector.country, FIXTURE_SHIPPING, {
        discount: input.discount,
      });
      expect(options.find((q) => q.methodId === vector.shippingMethodId)?.price).toBe(
        expected.shipping,
      );
    }
  });

  it.each(DISCOUNT_REFUSAL_VECTORS.map((v) => [v.name, v] as const))(
    'refuses %s',
    (_name, vector) => {
      for (const mode of ['NET', 'GROSS'] as const) {
        const check = checkDiscount(fixtureDiscountCode(vector.code), {
          lines: fixtureLines(vector.cart),
          store: fixtureStore(mode),
          now: new Date(FIXTURE_NOW),
          timesUsed: vector.timesUsed,
          customerTimesUsed: vector.customerTimesUsed,
        });
        expect(check.ok ? 'OK' : check.reason).toBe(vector.reason);
      }
    },
  );
});

const input = (overrides: Partial<CheckoutInput>): CheckoutInput => ({
  lines: fixtureLines([{ productId: 'rod', quantity: 1 }]),
  store: fixtureStore('NET'),
  taxTable: FIXTURE_TAX_TABLE,
  ...overrides,
});

describe('priceCheckout', () => {
  it('without a country: no tax, rate null, total = subtotal - discount', () => {
    const totals = priceCheckout(input({ country: null }));
    expect(totals).toMatchObject({ country: null, tax: 0, shippingTax: 0, total: 8999 });
    expect(totals.lines[0]?.taxRateBp).toBeNull();
  });

  it('GROSS: the total does not depend on the destination, only the included tax does', () => {
    const lines = fixtureLines([
      { productId: 'rod', quantity: 1 },
      { productId: 'book', quantity: 1 },
    ]);
    const store = fixtureStore('GROSS');
    const de = priceCheckout(input({ lines, store, country: 'DE' }));
    const fr = priceCheckout(input({ lines, store, country: 'FR' }));
    const none = priceCheckout(input({ lines, store }));
    expect([de.total, fr.total, none.total]).toEqual([11449, 11449, 11449]);
    expect([de.tax, fr.tax, none.tax]).toEqual([1437 + 160, 1500 + 128, 0]);
  });

  it('free above compares the subtotal as the store enters prices (gross or net)', () => {
    const at = (unitPrice: number): PricingLine[] => [
      { ...fixtureLines([{ productId: 'rod', quantity: 1 }])[0]!, unitPrice },
    ];
    const shipping = { methodId: 'dhl-standard', setup: FIXTURE_SHIPPING };
    // GROSS: 50.00 gross reaches the 50.00 threshold.
    const gross = priceCheckout(
      input({ lines: at(5000), store: fixtureStore('GROSS'), country: 'DE', shipping }),
    );
    expect(gross.shipping).toBe(0);
    // NET: 45.00 net (53.55 with tax) does not: the threshold is on the net figure.
    const net = priceCheckout(input({ lines: at(4500), country: 'DE', shipping }));
    expect([net.shipping, net.shippingTax]).toEqual([490, 93]);
  });

  it('a country without tax rates is a typed refusal, even when a zone ships there', () => {
    const setup: ShippingSetup = {
      zones: [{ id: 'ch', name: 'Switzerland', countries: ['CH'] }],
      methods: [{ ...FIXTURE_SHIPPING.methods[0]!, zoneId: 'ch' }],
    };
    const attempt = () =>
      priceCheckout(input({ country: 'CH', shipping: { methodId: 'dhl-standard', setup } }));
    expect(attempt).toThrow(UnknownTaxCountryError);
    expect(attempt).toThrow('We cannot deliver to country CH: it has no tax rates set.');
  });

  it('a chosen method that cannot ship the cart there is a typed refusal with its reason', () => {
    const shipping = { methodId: 'eu-post', setup: FIXTURE_SHIPPING };
    let error: unknown;
    try {
      priceCheckout(input({ country: 'DE', shipping }));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShippingUnavailableError);
    expect(error).toMatchObject({
      reason: 'NOT_SHIPPED_TO_COUNTRY',
      contractCode: 'BAD_USER_INPUT',
    });
    const anchors = fixtureLines([{ productId: 'anchor', quantity: 2 }]);
    expect(() => priceCheckout(input({ lines: anchors, country: 'FR', shipping }))).toThrow(
      /takes parcels up to 10 kg/,
    );
  });

  it('a method without a destination is a caller bug', () => {
    const shipping = { methodId: 'dhl-standard', setup: FIXTURE_SHIPPING };
    expect(() => priceCheckout(input({ shipping }))).toThrow(PricingInputError);
  });

  it('an empty cart is all zeros', () => {
    const totals = priceCheckout(input({ lines: [], country: 'DE' }));
    expect(totals).toMatchObject({ subtotal: 0, discount: 0, tax: 0, total: 0, lines: [] });
  });

  it('refuses amounts that would leave the safe-integer range instead of rounding them', () => {
    const line = { ...fixtureLines([{ productId: 'rod', quantity: 1 }])[0]! };
    const huge = [{ ...line, unitPrice: Number.MAX_SAFE_INTEGER, quantity: 2 }];
    expect(() => priceCheckout(input({ lines: huge }))).toThrow(PricingInputError);
    expect(() => priceCheckout(input({ lines: [{ ...line, quantity: 0 }] }))).toThrow(
      PricingInputError,
    );
  });

  it('is plain data: a JSON round trip gives the same totals', () => {
    const totals = priceCheckout(vectorInput(PRICING_VECTORS[1]!));
    expect(JSON.parse(JSON.stringify(totals))).toEqual(totals);
    expect(JSON.parse(JSON.stringify(vectorInput(PRICING_VECTORS[1]!)))).toEqual(
      vectorInput(PRICING_VECTORS[1]!),
    );
  });

  it('gives the contract Totals as Money', () => {
    const totals = priceCheckout(vectorInput(PRICING_VECTORS[1]!));
    expect(contractTotals(totals)).toEqual({
      subtotal: { amount: '110.43', currency: 'EUR' },
      discount: { amount: '11.04', currency: 'EUR' },
      shipping: { amount: '6.90', currency: 'EUR' },
      tax: { amount: '17.54', currency: 'EUR' },
      total: { amount: '123.83', currency: 'EUR' },
    });
  });
});
