import { describe, expect, it } from 'vitest';
import { locatedError } from 'graphql';
import { maskError } from '@shop/subgraph-kit';
import { compareDecimal, parsePrice } from '../src/domain/price.ts';
import { containsPattern, parseProductFilter } from '../src/domain/product-filter.ts';
import { attributeList, parseProductFields } from '../src/domain/product-input.ts';
import {
  decodeSortCursor,
  encodeSortCursor,
  PRODUCT_SORTS,
  sortKeyOf,
} from '../src/domain/product-sort.ts';
import { parseText, slugify } from '../src/domain/validation.ts';
import { assertManagesSeller } from '../src/domain/permissions.ts';

const ID = '0b6f3f0e-9f7a-4c1e-8a51-2f7d6c1b9e00';
/**
 * The extensions a client gets for the rule's refusal: the error as graphql-js wraps a
 * resolver's error, then masked (an unexpected error would be INTERNAL_SERVER_ERROR).
 */
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    const located = locatedError(error, undefined, ['mutation']);
    return maskError(located.toJSON(), located, () => {}).extensions;
  }
  return null;
};

describe('parsePrice', () => {
  it('canonicalises decimal strings', () => {
    expect(parsePrice('24.99', 'p')).toBe('24.99');
    expect(parsePrice('5', 'p')).toBe('5.00');
    expect(parsePrice('0.5', 'p')).toBe('0.50');
    expect(parsePrice(' 007.10 ', 'p')).toBe('7.10');
    expect(parsePrice('1000000', 'p')).toBe('1000000.00');
  });
  it.each(['-1', '1e3', '1.999', 'abc', '', '1,50', '1000000.01', '99999999', 'NaN', '.5'])(
    'refuses %j',
    (value) => {
      expect(codeOf(() => parsePrice(value, 'price'))).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'price',
      });
    },
  );
  it('compares without floating point', () => {
    expect(compareDecimal('10.00', '9.99')).toBeGreaterThan(0);
    expect(compareDecimal('9.99', '10.00')).toBeLessThan(0);
    expect(compareDecimal('1.10', '1.10')).toBe(0);
  });
});

describe('parseProductFilter', () => {
  it('validates and normalises every field', () => {
    expect(
      parseProductFilter({
        categoryId: ID.toUpperCase(),
        sellerId: ID,
        minPrice: '10',
        maxPrice: '20.5',
        inStock: false,
        text: '  Spinning   REEL reel ',
      }),
    ).toEqual({
      categoryId: ID,
      sellerId: ID,
      minPrice: '10.00',
      maxPrice: '20.50',
      inStock: false,
      words: ['spinning', 'reel'],
    });
    expect(parseProductFilter(null)).toEqual({});
    expect(parseProductFilter({ text: '   ' })).toEqual({});
  });
  it('refuses bad ids, bad prices, inverted ranges and overlong text', () => {
    expect(codeOf(() => parseProductFilter({ categoryId: 'nope' }))?.field).toBe(
      'filter.categoryId',
    );
    expect(codeOf(() => parseProductFilter({ maxPrice: '-3' }))?.field).toBe('filter.maxPrice');
    expect(codeOf(() => parseProductFilter({ minPrice: '30', maxPrice: '20' }))?.field).toBe(
      'filter.minPrice',
    );
    expect(codeOf(() => parseProductFilter({ text: 'x'.repeat(201) }))?.field).toBe('filter.text');
    expect(codeOf(() => parseProductFilter({ text: 'a b c d e f g h i' }))?.field).toBe(
      'filter.text',
    );
  });
  it('escapes LIKE wildcards', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });
});

describe('sort cursors', () => {
  const product = {
    id: ID,
    price: '12.50',
    createdAt: new Date('2026-01-02T03:04:05.678Z'),
    ratingAvg: 4.333333333333333,
    ratingCount: 3,
    name: 'Pro "Spinning" Rod',
  };
  it.each(PRODUCT_SORTS)('round-trips a %s cursor', (sort) => {
    const key = sortKeyOf(sort, product);
    expect(decodeSortCursor(encodeSortCursor(key), sort)).toEqual(key);
  });
  it('treats unrated products as rating 0', () => {
    expect(sortKeyOf('RATING', { ...product, ratingAvg: null })).toMatchObject({ rating: 0 });
  });
  it('refuses a cursor of another sort, naming it', () => {
    const cursor = encodeSortCursor(sortKeyOf('PRICE_ASC', product));
    const error = codeOf(() => decodeSortCursor(cursor, 'NAME'));
    expect(error).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(() => decodeSortCursor(cursor, 'NAME')).toThrow(/PRICE_ASC sort/);
  });
  it.each([
    'garbage',
    Buffer.from('[1,2]').toString('base64url'),
    Buffer.from('["PRICE_ASC","1e5","x"]').toString('base64url'),
    Buffer.from(`["PRICE_ASC","-1.00","${ID}"]`).toString('base64url'),
    Buffer.from(`["NEWEST","not a date","${ID}"]`).toString('base64url'),
    Buffer.from(`["RATING",9,1,"${ID}"]`).toString('base64url'),
    Buffer.from(`["NAME","x","${ID}","extra"]`).toString('base64url'),
  ])('refuses malformed cursor %s', (cursor) => {
    for (const sort of PRODUCT_SORTS)
      expect(codeOf(() => decodeSortCursor(cursor, sort))?.code).toBe('BAD_USER_INPUT');
  });
});

describe('parseProductFields', () => {
  it('requires the create fields and refuses null for non-clearable ones', () => {
    expect(codeOf(() => parseProductFields({ name: 'x' }, ['name', 'price']))?.field).toBe('price');
    expect(codeOf(() => parseProductFields({ name: null }))?.field).toBe('name');
    expect(parseProductFields({ description: null, images: null, attributes: null })).toEqual({
      description: '',
      images: [],
      attributes: {},
    });
  });
  it('validates lengths, stock, images, attributes, sku and currency', () => {
    expect(codeOf(() => parseProductFields({ name: 'x'.repeat(201) }))?.field).toBe('name');
    expect(codeOf(() => parseProductFields({ name: '  ' }))?.field).toBe('name');
    expect(codeOf(() => parseProductFields({ stock: -1 }))?.field).toBe('stock');
    expect(codeOf(() => parseProductFields({ stock: 1.5 }))?.field).toBe('stock');
    expect(codeOf(() => parseProductFields({ stock: 10_000_000 }))?.field).toBe('stock');
    expect(codeOf(() => parseProductFields({ images: ['javascript:alert(1)'] }))?.field).toBe(
      'images[0]',
    );
    expect(
      codeOf(() =>
        parseProductFields({
          attributes: [
            { name: 'brand', value: 'A' },
            { name: 'brand', value: 'B' },
          ],
        }),
      )?.field,
    ).toBe('attributes');
    expect(codeOf(() => parseProductFields({ sku: 'has space' }))?.field).toBe('sku');
    expect(codeOf(() => parseProductFields({ currency: 'EUR' }))?.field).toBe('currency');
    expect(parseProductFields({ sku: 'abc-1', name: ' Rod ', price: '3' })).toEqual({
      sku: 'ABC-1',
      name: 'Rod',
      price: '3.00',
    });
  });
  it('lists attributes by name', () => {
    expect(attributeList({ power: 'Medium', brand: 'Acme', junk: 3 })).toEqual([
      { name: 'brand', value: 'Acme' },
      { name: 'power', value: 'Medium' },
    ]);
    expect(attributeList(null)).toEqual([]);
  });
});

describe('text helpers and permissions', () => {
  it('refuses control characters, allows newlines in multiline text', () => {
    expect(codeOf(() => parseText('a\u0000b', 't', 10))?.field).toBe('t');
    expect(codeOf(() => parseText('a\nb', 't', 10))?.field).toBe('t');
    expect(parseText('a\nb', 't', 10, { multiline: true })).toBe('a\nb');
  });
  it('slugifies names', () => {
    expect(slugify('Spinning Rods & Reels')).toBe('spinning-rods-reels');
    expect(slugify('Crème Brûlée')).toBe('creme-brulee');
    expect(slugify('!!!')).toBe('');
  });
  it('lets admins and owning sellers manage, nobody else', () => {
    const seller = { ownerUserId: ID };
    expect(() => assertManagesSeller({ userId: 'x', role: 'ADMIN' }, seller)).not.toThrow();
    expect(() => assertManagesSeller({ userId: ID, role: 'SELLER' }, seller)).not.toThrow();
    expect(codeOf(() => assertManagesSeller({ userId: 'x', role: 'SELLER' }, seller))?.code).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(() => assertManagesSeller({ userId: ID, role: 'CUSTOMER' }, seller))?.code).toBe(
      'FORBIDDEN',
    );
  });
});
