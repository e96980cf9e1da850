import { describe, expect, it } from 'vitest';
import { statsOf } from '../src/data/product-stats.ts';

describe('product stats in the graph', () => {
  it('shows revenue in cents as Money, and none without sales that carry money', () => {
    expect(
      statsOf({
        productId: 'p',
        views: 4,
        sales: 3,
        revenue: { currency: 'USD', revenue: 123_456_789_012_345_678n, revenueExTax: 5n },
      }),
    ).toEqual({
      views: 4,
      sales: 3,
      revenue: { amount: '1234567890123456.78', currency: 'USD' },
      revenueExTax: { amount: '0.05', currency: 'USD' },
    });
    expect(statsOf({ productId: 'p', views: 0, sales: 2, revenue: null })).toEqual({
      views: 0,
      sales: 2,
      revenue: null,
      revenueExTax: null,
    });
    expect(statsOf(undefined)).toEqual({ views: 0, sales: 0, revenue: null, revenueExTax: null });
  });
});
