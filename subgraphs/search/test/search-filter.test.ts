import { describe, expect, it } from 'vitest';
import { parsePrice, parseSearchFilter } from '../src/domain/search-filter.ts';

const ID = '0b6f3f0e-9f7a-4c1e-8a51-2f7d6c1b9e00';

describe('parseSearchFilter', () => {
  it('normalises a valid filter', () => {
    expect(
      parseSearchFilter({
        categoryId: ID.toUpperCase(),
        minPrice: '5',
        maxPrice: '10.5',
        inStock: true,
        text: ' a  b ',
      }),
    ).toEqual({
      ok: true,
      filter: { categoryId: ID, minPrice: '5.00', maxPrice: '10.50', inStock: true, text: 'a b' },
    });
  });
  it('names the field of the first problem', () => {
    expect(parseSearchFilter({ sellerId: '42' })).toMatchObject({
      ok: false,
      field: 'filter.sellerId',
    });
    expect(parseSearchFilter({ minPrice: '1e2' })).toMatchObject({
      ok: false,
      field: 'filter.minPrice',
    });
    expect(parseSearchFilter({ minPrice: '9', maxPrice: '1' })).toMatchObject({
      ok: false,
      field: 'filter.minPrice',
    });
    expect(parseSearchFilter({ text: 'x'.repeat(201) })).toMatchObject({
      ok: false,
      field: 'filter.text',
    });
  });
  it('parses prices like the catalog', () => {
    expect(parsePrice('0')).toBe('0.00');
    expect(parsePrice('-1')).toBeNull();
    expect(parsePrice('1000000.01')).toBeNull();
  });
});
