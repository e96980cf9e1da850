import { describe, expect, it } from 'vitest';
import { TAX_CLASSES } from '@shop/pricing';
import { generateStore } from '../src/generate-store.ts';
import { OTHER_WEIGHT_GRAMS, WEIGHT_GRAMS } from '../src/product-weights.ts';
import { LEAF_CATEGORIES } from '../src/vocabulary.ts';

describe('generateStore', () => {
  const size = { products: 300, customers: 20, reviewedShare: 0.7 };

  it('is deterministic for a seed', () => {
    expect(generateStore(size, 42)).toEqual(generateStore(size, 42));
    expect(generateStore(size, 42).products[0]!.id).not.toBe(
      generateStore(size, 43).products[0]!.id,
    );
  });

  it('keeps references, ratings and uniqueness consistent', () => {
    const store = generateStore(size, 1);
    const categories = new Set(store.categories.map((c) => c.id));
    const sellers = new Set(store.sellers.map((s) => s.id));
    const users = new Map(store.users.map((u) => [u.id, u]));
    expect(new Set(store.products.map((p) => p.sku)).size).toBe(size.products);
    expect(new Set(store.users.map((u) => u.email)).size).toBe(store.users.length);
    for (const p of store.products) {
      expect(categories.has(p.categoryId)).toBe(true);
      expect(sellers.has(p.sellerId)).toBe(true);
      expect(p.price).toMatch(/^\d+\.\d{2}$/);
      expect(p.stock).toBeGreaterThanOrEqual(0);
      const reviews = store.reviews.filter((r) => r.productId === p.id);
      expect(p.ratingCount).toBe(reviews.length);
      if (reviews.length)
        expect(p.ratingAvg).toBeCloseTo(reviews.reduce((s, r) => s + r.rating, 0) / reviews.length);
      expect(new Set(reviews.map((r) => r.userId)).size).toBe(reviews.length);
    }
    for (const r of store.reviews) expect(users.get(r.userId)?.role).toBe('CUSTOMER');
    for (const s of store.sellers) expect(users.get(s.ownerUserId)?.role).toBe('SELLER');
  });

  it('weighs products by their category and taxes them STANDARD', () => {
    const store = generateStore({ ...size, products: 2000 }, 5);
    const slugOf = new Map(store.categories.map((c) => [c.id, c.slug]));
    const seen = new Map<string, Set<number>>();
    for (const p of store.products) {
      const slug = slugOf.get(p.categoryId)!;
      const [min, max] = WEIGHT_GRAMS[slug] ?? OTHER_WEIGHT_GRAMS;
      expect(Number.isInteger(p.weightGrams)).toBe(true);
      expect(p.weightGrams).toBeGreaterThanOrEqual(min);
      expect(p.weightGrams).toBeLessThanOrEqual(max);
      expect(TAX_CLASSES).toContain(p.taxClass);
      if (!seen.has(slug)) seen.set(slug, new Set());
      seen.get(slug)!.add(p.weightGrams);
    }
    // Every leaf category has its own range, and products of one category differ in weight.
    for (const leaf of LEAF_CATEGORIES) expect(WEIGHT_GRAMS).toHaveProperty([leaf.slug]);
    for (const weights of seen.values()) expect(weights.size).toBeGreaterThan(1);
    expect(WEIGHT_GRAMS.crankbaits).toEqual([8, 40]);
    expect(WEIGHT_GRAMS['tackle-boxes']).toEqual([500, 2500]);
    // No books, food bait or gift cards in this store: everything is STANDARD.
    expect(new Set(store.products.map((p) => p.taxClass))).toEqual(new Set(['STANDARD']));
  });
});
