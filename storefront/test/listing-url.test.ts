import { describe, expect, it } from 'vitest';
import {
  catalogVariables,
  listingSearch,
  parseListing,
  searchVariables,
  withChange,
} from '../app/lib/listing-url.ts';

const parse = (search: string) => parseListing(new URLSearchParams(search));

describe('listing URL state', () => {
  it('round-trips every filter, the sort and the cursor through the URL', () => {
    const search =
      'q=spinning&category=c1&seller=s1&min=10&max=99.5&stock=1&sort=PRICE_ASC&after=abc%3D';
    const state = parse(search);
    expect(state).toEqual({
      text: 'spinning',
      categoryId: 'c1',
      sellerId: 's1',
      minPrice: '10',
      maxPrice: '99.5',
      inStock: true,
      sort: 'PRICE_ASC',
      after: 'abc=',
    });
    expect(parse(listingSearch(state))).toEqual(state);
  });

  it('is canonical: the same state gives the same URL whatever the order typed', () => {
    expect(listingSearch(parse('sort=NAME&min=5&q=reel'))).toBe(
      listingSearch(parse('q=reel&min=5&sort=NAME')),
    );
  });

  it('drops what it cannot use instead of failing: bad prices, unknown sorts, the default sort', () => {
    expect(parse('min=abc&max=1e9&sort=CHEAPEST&stock=yes')).toEqual({});
    expect(parse('sort=NEWEST')).toEqual({});
    expect(listingSearch({ sort: 'NEWEST' })).toBe('');
  });

  it('a change of filter or sort goes back to the first page; paging keeps the filters', () => {
    const state = parse('category=c1&after=cur');
    expect(withChange(state, { sort: 'RATING' })).toEqual({ categoryId: 'c1', sort: 'RATING' });
    expect(withChange(state, { after: 'next' })).toEqual({ categoryId: 'c1', after: 'next' });
    expect(withChange(state, { categoryId: undefined })).toEqual({});
  });

  it('builds the query variables the loader and the page share', () => {
    expect(catalogVariables(parse('min=5&stock=1&sort=NAME'))).toEqual({
      filter: { minPrice: '5', inStock: true },
      sort: 'NAME',
      first: 24,
      after: null,
    });
    expect(catalogVariables({})).toEqual({
      filter: undefined,
      sort: 'NEWEST',
      first: 24,
      after: null,
    });
    expect(searchVariables(parse('q=reel&category=c2'))).toEqual({
      query: 'reel',
      filter: { categoryId: 'c2' },
      first: 24,
      after: null,
    });
  });

  it('caps the text at the API limit', () => {
    expect(parse(`q=${'a'.repeat(300)}`).text).toHaveLength(200);
  });
});
