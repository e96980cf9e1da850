import { describe, expect, it } from 'vitest';
import {
  checkDiscount,
  discountPerLine,
  DISCOUNT_REFUSAL_CONTRACT_CODES,
  DISCOUNT_REFUSAL_REASONS,
  type ApplicableDiscount,
  type DiscountCode,
  type DiscountContext,
} from '../src/discount.ts';
import { PricingInputError } from '../src/errors.ts';
import { fixtureLines } from '../src/fixtures/index.ts';
import type { PricingLine } from '../src/model.ts';

const base: DiscountCode = {
  code: 'TEST',
  benefit: { kind: 'FIXED_AMOUNT', amount: 500 },
  appliesTo: { kind: 'ALL_PRODUCTS' },
  minSubtotal: null,
  startsAt: null,
  endsAt: null,
  disabled: false,
  usageLimit: null,
  perCustomerLimit: null,
};
const rod = fixtureLines([{ productId: 'rod', quantity: 1 }]); // 89.99
const context = (overrides: Partial<DiscountContext> = {}): DiscountContext => ({
  lines: rod,
  store: { priceMode: 'NET', currency: 'EUR' },
  now: new Date('2025-04-15T12:00:00Z'),
  timesUsed: 0,
  customerTimesUsed: 0,
  ...overrides,
});
const reason = (code: Partial<DiscountCode>, ctx: Partial<DiscountContext> = {}) => {
  const result = checkDiscount({ ...base, ...code }, context(ctx));
  return result.ok ? 'OK' : result.reason;
};

describe('checkDiscount', () => {
  it('accepts a code that applies and hands back what pricing needs (plain data)', () => {
    const result = checkDiscount(base, context());
    expect(result).toEqual({
      ok: true,
      discount: { code: 'TEST', benefit: base.benefit, appliesTo: base.appliesTo },
    });
  });

  it('validity: startsAt inclusive, endsAt exclusive, against the now passed in', () => {
    const window = { startsAt: '2025-04-15T12:00:00Z', endsAt: '2025-04-15T13:00:00Z' };
    expect(reason(window, { now: new Date('2025-04-15T11:59:59.999Z') })).toBe('NOT_YET_VALID');
    expect(reason(window, { now: new Date('2025-04-15T12:00:00Z') })).toBe('OK');
    expect(reason(window, { now: new Date('2025-04-15T12:59:59.999Z') })).toBe('OK');
    expect(reason(window, { now: new Date('2025-04-15T13:00:00Z') })).toBe('EXPIRED');
  });

  it('usage: refused once the counts read reach the limits', () => {
    expect(reason({ usageLimit: 5 }, { timesUsed: 4 })).toBe('OK');
    expect(reason({ usageLimit: 5 }, { timesUsed: 5 })).toBe('USED_UP');
    expect(reason({ usageLimit: 0 })).toBe('USED_UP');
    expect(reason({ perCustomerLimit: 1 }, { customerTimesUsed: 0 })).toBe('OK');
    expect(reason({ perCustomerLimit: 1 }, { customerTimesUsed: 1 })).toBe(
      'CUSTOMER_LIMIT_REACHED',
    );
  });

  it('minimum: the whole merchandise subtotal before discount, exactly reached is enough', () => {
    expect(reason({ minSubtotal: 8999 })).toBe('OK');
    expect(reason({ minSubtotal: 9000 })).toBe('BELOW_MINIMUM');
    // Only the lure is eligible (4.99), but the minimum looks at the whole cart (94.98).
    const lines = fixtureLines([
      { productId: 'rod', quantity: 1 },
      { productId: 'lure', quantity: 1 },
    ]);
    const lureOnly = { kind: 'PRODUCTS', productIds: ['lure'] } as const;
    expect(reason({ minSubtotal: 9498, appliesTo: lureOnly }, { lines })).toBe('OK');
  });

  it('scope: nothing in the cart it applies to; a parent category covers its subcategories', () => {
    const reels = { kind: 'CATEGORIES', categoryIds: ['reels'] } as const;
    expect(reason({ appliesTo: reels })).toBe('NOT_APPLICABLE');
    expect(
      reason({ appliesTo: reels }, { lines: fixtureLines([{ productId: 'reel', quantity: 1 }]) }),
    ).toBe('OK');
    expect(reason({ appliesTo: { kind: 'PRODUCTS', productIds: ['reel'] } })).toBe(
      'NOT_APPLICABLE',
    );
    expect(reason({}, { lines: [] })).toBe('NOT_APPLICABLE');
  });

  it('reports the first reason in a stated order: code, dates, uses, scope, minimum', () => {
    const everything: Partial<DiscountCode> = {
      disabled: true,
      startsAt: '2026-01-01T00:00:00Z',
      usageLimit: 1,
      perCustomerLimit: 1,
      appliesTo: { kind: 'PRODUCTS', productIds: ['nothing'] },
      minSubtotal: 1_000_000,
    };
    const ctx = { timesUsed: 1, customerTimesUsed: 1 };
    expect(reason(everything, ctx)).toBe('DISABLED');
    expect(reason({ ...everything, disabled: false }, ctx)).toBe('NOT_YET_VALID');
    expect(reason({ ...everything, disabled: false, startsAt: null }, ctx)).toBe('USED_UP');
    expect(reason({ ...everything, disabled: false, startsAt: null, usageLimit: null }, ctx)).toBe(
      'CUSTOMER_LIMIT_REACHED',
    );
    const onlyCart = {
      ...everything,
      disabled: false,
      startsAt: null,
      usageLimit: null,
      perCustomerLimit: null,
    };
    expect(reason(onlyCart, ctx)).toBe('NOT_APPLICABLE');
    expect(reason({ ...onlyCart, appliesTo: { kind: 'ALL_PRODUCTS' } }, ctx)).toBe('BELOW_MINIMUM');
  });

  it('gives every refusal a message for the customer and a contract code', () => {
    const result = checkDiscount({ ...base, minSubtotal: 10000 }, context());
    expect(result).toEqual({
      ok: false,
      reason: 'BELOW_MINIMUM',
      message:
        'The discount code TEST needs a subtotal of at least 100.00 EUR; your cart has 89.99 EUR.',
      contractCode: 'BAD_USER_INPUT',
    });
    for (const r of DISCOUNT_REFUSAL_REASONS)
      expect(['BAD_USER_INPUT', 'CONFLICT']).toContain(DISCOUNT_REFUSAL_CONTRACT_CODES[r]);
    expect(DISCOUNT_REFUSAL_CONTRACT_CODES.USED_UP).toBe('CONFLICT');
  });

  it('refuses malformed codes as input errors, not as customer refusals', () => {
    const bad: Partial<DiscountCode>[] = [
      { benefit: { kind: 'PERCENTAGE', basisPoints: 0 } },
      { benefit: { kind: 'PERCENTAGE', basisPoints: 10_001 } },
      { benefit: { kind: 'PERCENTAGE', basisPoints: 12.5 } },
      { benefit: { kind: 'FIXED_AMOUNT', amount: 0 } },
      { minSubtotal: -1 },
      { usageLimit: -1 },
      { endsAt: 'next tuesday' },
    ];
    for (const code of bad)
      expect(() => reason(code), JSON.stringify(code)).toThrow(PricingInputError);
  });
});

describe('discountPerLine', () => {
  const lines = fixtureLines([
    { productId: 'reel', quantity: 1 }, // 5995
    { productId: 'line', quantity: 2 }, // 2598
    { productId: 'book', quantity: 1 }, // 2450
  ]);
  const applicable = (
    benefit: ApplicableDiscount['benefit'],
    appliesTo: ApplicableDiscount['appliesTo'] = { kind: 'ALL_PRODUCTS' },
  ): ApplicableDiscount => ({ code: 'X', benefit, appliesTo });

  it('percentage: rounds the total once, half-even, then splits it exactly', () => {
    expect(discountPerLine(applicable({ kind: 'PERCENTAGE', basisPoints: 1000 }), lines)).toEqual([
      599, 260, 245,
    ]);
    // 15 % of 11990 = 1798.5 -> 1798; 10 % of 11035 = 1103.5 -> 1104.
    const reels = fixtureLines([{ productId: 'reel', quantity: 2 }]);
    expect(discountPerLine(applicable({ kind: 'PERCENTAGE', basisPoints: 1500 }), reels)).toEqual([
      1798,
    ]);
    const odd: PricingLine[] = [{ ...lines[0]!, unitPrice: 11035 }];
    expect(discountPerLine(applicable({ kind: 'PERCENTAGE', basisPoints: 1000 }), odd)).toEqual([
      1104,
    ]);
    expect(discountPerLine(applicable({ kind: 'PERCENTAGE', basisPoints: 10_000 }), lines)).toEqual(
      [5995, 2598, 2450],
    );
  });

  it('fixed amount: only eligible lines, capped at their subtotal', () => {
    const lineOnly = { kind: 'CATEGORIES', categoryIds: ['lines'] } as const;
    expect(
      discountPerLine(applicable({ kind: 'FIXED_AMOUNT', amount: 1000 }, lineOnly), lines),
    ).toEqual([0, 1000, 0]);
    expect(
      discountPerLine(applicable({ kind: 'FIXED_AMOUNT', amount: 999_999 }, lineOnly), lines),
    ).toEqual([0, 2598, 0]);
  });

  it('free shipping and no code take nothing off the lines', () => {
    expect(discountPerLine(applicable({ kind: 'FREE_SHIPPING' }), lines)).toEqual([0, 0, 0]);
    expect(discountPerLine(null, lines)).toEqual([0, 0, 0]);
  });

  it('gives each product the same cents whatever the line order', () => {
    const oneCent = applicable({ kind: 'FIXED_AMOUNT', amount: 1 });
    const twins = fixtureLines([
      { productId: 'bead', quantity: 1 },
      { productId: 'swivel', quantity: 1 },
    ]);
    const forward = discountPerLine(oneCent, twins);
    const backward = discountPerLine(oneCent, [...twins].reverse());
    expect(forward).toEqual([1, 0]); // tie: "bead" < "swivel"
    expect(backward).toEqual([0, 1]);
  });
});
