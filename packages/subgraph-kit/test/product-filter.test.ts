import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { compareDecimal, parsePrice, parseProductFilter } from '../src/index.ts';

const ID = '0b6f3f0e-9f7a-4c1e-8a51-2f7d6c1b9e00';

function refusal(fn: () => unknown): { code: unknown; field: unknown } {
  try {
    fn();
  } catch (error) {
    const { code, field } = (error as GraphQLError).extensions;
    return { code, field };
  }
  throw new Error('expected a refusal');
}

describe('parseProductFilter', () => {
  it('normalises a valid filter', () => {
    expect(
      parseProductFilter({
        categoryId: ID.toUpperCase(),
        minPrice: '5',
        maxPrice: '10.5',
        inStock: true,
        text: ' a  b ',
      }),
    ).toEqual({ categoryId: ID, minPrice: '5.00', maxPrice: '10.50', inStock: true, text: 'a b' });
    expect(parseProductFilter(null)).toEqual({});
    expect(parseProductFilter({ text: '   ' })).toEqual({});
  });

  it('names the field of the problem with BAD_USER_INPUT', () => {
    expect(refusal(() => parseProductFilter({ sellerId: '42' }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'filter.sellerId',
    });
    expect(refusal(() => parseProductFilter({ minPrice: '1e2' }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'filter.minPrice',
    });
    expect(refusal(() => parseProductFilter({ minPrice: '9', maxPrice: '1' }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'filter.minPrice',
    });
    expect(refusal(() => parseProductFilter({ text: 'x'.repeat(201) }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'filter.text',
    });
  });
});

describe('prices', () => {
  it('parses to canonical two-digit decimals', () => {
    expect(parsePrice('0', 'p')).toBe('0.00');
    expect(parsePrice('007.5', 'p')).toBe('7.50');
    expect(parsePrice('1000000', 'p')).toBe('1000000.00');
  });

  it('refuses negatives, exponents, three fraction digits and too much', () => {
    for (const bad of ['-1', '1e3', '1.234', '1000000.01', 'abc', ''])
      expect(refusal(() => parsePrice(bad, 'price')).code, bad).toBe('BAD_USER_INPUT');
  });

  it('compares without floating point', () => {
    expect(compareDecimal('10.00', '9.99')).toBeGreaterThan(0);
    expect(compareDecimal('0.10', '0.09')).toBeGreaterThan(0);
    expect(compareDecimal('5.00', '5.00')).toBe(0);
  });
});
