import { describe, expect, it } from 'vitest';
import type { ApplicableDiscount } from '../src/discount.ts';
import { PricingInputError } from '../src/errors.ts';
import { FIXTURE_SHIPPING, fixtureLines } from '../src/fixtures/index.ts';
import type { PricingLine } from '../src/model.ts';
import {
  quoteMethod,
  shippingOptions,
  type ShippingMethod,
  type ShippingSetup,
} from '../src/shipping.ts';

const rod = fixtureLines([{ productId: 'rod', quantity: 1 }]); // 89.99, 450 g
const cart = (price: number, weightGrams = 100): PricingLine[] => [
  {
    productId: 'p',
    categoryId: 'c',
    quantity: 1,
    unitPrice: price,
    weightGrams,
    taxClass: 'STANDARD',
  },
];
const fixed = (amount: number): ApplicableDiscount => ({
  code: 'FIXED',
  benefit: { kind: 'FIXED_AMOUNT', amount },
  appliesTo: { kind: 'ALL_PRODUCTS' },
});

describe('shippingOptions', () => {
  it('quotes every method that ships to the country, cheapest first, then by name', () => {
    const quotes = shippingOptions(cart(1000, 1200), 'DE', FIXTURE_SHIPPING);
    expect(quotes.map((q) => [q.methodId, q.price])).toEqual([
      ['dhl-standard', 490],
      ['dpd-weight', 690],
      ['dhl-express', 990],
    ]);
    expect(quotes[0]).toMatchObject({
      name: 'DHL Paket',
      carrier: 'DHL',
      zoneId: 'de',
      estimatedDays: { min: 2, max: 3 },
      weightGrams: 1200,
      listPrice: 490,
      free: null,
    });
    expect(shippingOptions(rod, 'FR', FIXTURE_SHIPPING).map((q) => q.methodId)).toEqual([
      'eu-post',
    ]);
    expect(shippingOptions(rod, 'US', FIXTURE_SHIPPING)).toEqual([]);
  });

  it('orders equal prices by name, then id', () => {
    const method = (id: string, name: string): ShippingMethod => ({
      id,
      name,
      carrier: 'C',
      zoneId: 'z',
      estimatedDays: { min: 1, max: 2 },
      rate: { kind: 'FLAT', amount: 500 },
      freeAbove: null,
    });
    const setup: ShippingSetup = {
      zones: [{ id: 'z', name: 'Z', countries: ['DE'] }],
      methods: [method('3', 'B'), method('2', 'A'), method('1', 'B')],
    };
    expect(shippingOptions(rod, 'DE', setup).map((q) => q.methodId)).toEqual(['2', '1', '3']);
  });

  it('leaves out a method the cart is too heavy for', () => {
    expect(shippingOptions(cart(1000, 10_001), 'FR', FIXTURE_SHIPPING)).toEqual([]);
    expect(shippingOptions(cart(1000, 10_000), 'FR', FIXTURE_SHIPPING)[0]?.price).toBe(1590);
  });

  it('a country in two zones gets the methods of both', () => {
    const setup: ShippingSetup = {
      zones: [
        ...FIXTURE_SHIPPING.zones,
        { id: 'dach', name: 'DACH', countries: ['DE', 'AT', 'CH'] },
      ],
      methods: [
        ...FIXTURE_SHIPPING.methods,
        {
          id: 'post-ch',
          name: 'Swiss Post',
          carrier: 'Post',
          zoneId: 'dach',
          estimatedDays: { min: 3, max: 5 },
          rate: { kind: 'FLAT', amount: 1500 },
          freeAbove: null,
        },
      ],
    };
    expect(shippingOptions(rod, 'DE', setup).map((q) => q.methodId)).toContain('post-ch');
  });
});

describe('quoteMethod', () => {
  it('refuses a method whose zone does not have the country, with a reason', () => {
    expect(quoteMethod('eu-post', rod, 'DE', FIXTURE_SHIPPING)).toEqual({
      ok: false,
      reason: 'NOT_SHIPPED_TO_COUNTRY',
      message: 'Deutsche Post International does not ship to DE (it ships to EU).',
    });
    expect(quoteMethod('nope', rod, 'DE', FIXTURE_SHIPPING)).toMatchObject({
      ok: false,
      reason: 'UNKNOWN_METHOD',
    });
    expect(quoteMethod('eu-post', cart(100, 12_400), 'FR', FIXTURE_SHIPPING)).toEqual({
      ok: false,
      reason: 'TOO_HEAVY',
      message: 'Deutsche Post International takes parcels up to 10 kg; this cart weighs 12.4 kg.',
    });
  });

  it('weight tiers: bounds are inclusive, the open last tier takes any weight', () => {
    const price = (grams: number) => {
      const result = quoteMethod('dpd-weight', cart(100, grams), 'DE', FIXTURE_SHIPPING);
      return result.ok ? result.quote.price : result.reason;
    };
    expect([0, 1000, 1001, 5000, 5001, 1_000_000].map(price)).toEqual([
      390, 390, 690, 690, 1290, 1290,
    ]);
    // weight is per unit x quantity
    const heavy = fixtureLines([{ productId: 'anchor', quantity: 2 }]);
    const result = quoteMethod('dpd-weight', heavy, 'DE', FIXTURE_SHIPPING);
    expect(result.ok && result.quote.weightGrams).toBe(12_000);
  });

  it('free above: at or above the threshold after discount is free, one cent less pays', () => {
    const quote = (price: number, discount?: ApplicableDiscount) => {
      const result = quoteMethod('dhl-standard', cart(price), 'DE', FIXTURE_SHIPPING, { discount });
      if (!result.ok) throw new Error(result.message);
      return [result.quote.price, result.quote.free];
    };
    expect(quote(5000)).toEqual([0, 'FREE_ABOVE']);
    expect(quote(4999)).toEqual([490, null]);
    // The threshold looks at the subtotal after discount.
    expect(quote(6000, fixed(1000))).toEqual([0, 'FREE_ABOVE']);
    expect(quote(5999, fixed(1000))).toEqual([490, null]);
  });

  it('a FREE_SHIPPING code waives any method; the list price stays visible', () => {
    const code: ApplicableDiscount = {
      code: 'FREESHIP',
      benefit: { kind: 'FREE_SHIPPING' },
      appliesTo: { kind: 'ALL_PRODUCTS' },
    };
    const result = quoteMethod('dhl-express', rod, 'DE', FIXTURE_SHIPPING, { discount: code });
    expect(result).toMatchObject({
      ok: true,
      quote: { price: 0, listPrice: 990, free: 'DISCOUNT_CODE' },
    });
  });

  it('refuses malformed configuration as input errors', () => {
    const broken = (
      rate: ShippingMethod['rate'],
      extra: Partial<ShippingMethod> = {},
    ): ShippingSetup => ({
      zones: [{ id: 'z', name: 'Z', countries: ['DE'] }],
      methods: [
        {
          id: 'm',
          name: 'M',
          carrier: 'C',
          zoneId: 'z',
          estimatedDays: { min: 1, max: 2 },
          rate,
          freeAbove: null,
          ...extra,
        },
      ],
    });
    const tier = (upToGrams: number | null, amount = 100) => ({ upToGrams, amount });
    const setups = [
      broken({ kind: 'BY_WEIGHT', tiers: [] }),
      broken({ kind: 'BY_WEIGHT', tiers: [tier(null), tier(1000)] }),
      broken({ kind: 'BY_WEIGHT', tiers: [tier(1000), tier(1000)] }),
      broken({ kind: 'BY_WEIGHT', tiers: [tier(1000, -5)] }),
      broken({ kind: 'FLAT', amount: 4.9 }),
      broken({ kind: 'FLAT', amount: 490 }, { estimatedDays: { min: 3, max: 2 } }),
      broken({ kind: 'FLAT', amount: 490 }, { zoneId: 'elsewhere' }),
    ];
    for (const setup of setups)
      expect(() => quoteMethod('m', rod, 'DE', setup), JSON.stringify(setup.methods[0])).toThrow(
        PricingInputError,
      );
    expect(() => quoteMethod('dhl-standard', rod, 'Germany', FIXTURE_SHIPPING)).toThrow(
      PricingInputError,
    );
  });
});
