import { describe, expect, it } from 'vitest';
import { priceBuckets, rangeAggregationRanges } from '../src/price-buckets.ts';
import { productSearchBody } from '../src/product-search.ts';
import { categoryChain } from '../src/products-index.ts';

describe('price buckets', () => {
  it('cover everything without gaps, first and last open', () => {
    const buckets = priceBuckets([50, 10, 100]);
    expect(buckets).toEqual([
      { key: '0-10', min: null, max: '10.00' },
      { key: '10-50', min: '10.00', max: '50.00' },
      { key: '50-100', min: '50.00', max: '100.00' },
      { key: '100-', min: '100.00', max: null },
    ]);
    expect(rangeAggregationRanges(buckets)).toEqual([
      { key: '0-10', to: 10 },
      { key: '10-50', from: 10, to: 50 },
      { key: '50-100', from: 50, to: 100 },
      { key: '100-', from: 100 },
    ]);
  });
  it('has six default ranges', () => {
    expect(priceBuckets().map((b) => b.key)).toEqual([
      '0-25',
      '25-50',
      '50-100',
      '100-200',
      '200-500',
      '500-',
    ]);
  });
});

describe('productSearchBody', () => {
  const buckets = priceBuckets();
  it('puts filters in post_filter and leaves each facet its own filter out', () => {
    const body = productSearchBody(
      {
        query: 'reel',
        size: 10,
        from: 0,
        filter: { categoryId: 'c', sellerId: 's', minPrice: '10.00', inStock: true, text: 'x' },
      },
      buckets,
    );
    const post = (body.post_filter as { bool: { filter: unknown[] } }).bool.filter;
    expect(post).toHaveLength(5);
    expect(post).toContainEqual({ term: { categoryPath: 'c' } });
    expect(post).toContainEqual({ range: { price: { gte: 10 } } });
    const categoryFacetFilters = body.aggs.categories.filter.bool.filter;
    expect(categoryFacetFilters).toHaveLength(4);
    expect(categoryFacetFilters).not.toContainEqual({ term: { categoryPath: 'c' } });
    const priceFacetFilters = body.aggs.prices.filter.bool.filter;
    expect(priceFacetFilters).toHaveLength(4);
    expect(priceFacetFilters).not.toContainEqual({ range: { price: { gte: 10 } } });
  });
  it('has no post_filter without filters', () => {
    expect(
      productSearchBody({ query: 'q', size: 1, from: 0, filter: {} }, buckets),
    ).not.toHaveProperty('post_filter');
  });
});

describe('categoryChain', () => {
  it('walks up to the root and stops at cycles', () => {
    const map = new Map([
      ['a', { id: 'a', name: 'A', parentId: null }],
      ['b', { id: 'b', name: 'B', parentId: 'a' }],
      ['x', { id: 'x', name: 'X', parentId: 'y' }],
      ['y', { id: 'y', name: 'Y', parentId: 'x' }],
    ]);
    expect(categoryChain('b', map).map((c) => c.id)).toEqual(['b', 'a']);
    expect(categoryChain('x', map).map((c) => c.id)).toEqual(['x', 'y']);
    expect(categoryChain('missing', map)).toEqual([]);
  });
});
