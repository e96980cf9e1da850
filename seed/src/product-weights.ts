/**
 * What a generated product weighs and how it is taxed, by its leaf category: shipping is priced
 * by weight and tax by the product's tax class, so the demo store needs believable values.
 */
import type { TaxClass } from '@shop/pricing';

/** Shipping weight of one unit, whole grams, [lightest, heaviest], by leaf category slug. */
export const WEIGHT_GRAMS: Readonly<Record<string, readonly [number, number]>> = {
  'spinning-rods': [150, 350],
  'casting-rods': [160, 400],
  'fly-rods': [150, 300],
  'surf-rods': [350, 600],
  'spinning-reels': [220, 450],
  'baitcasting-reels': [200, 320],
  'fly-reels': [200, 300],
  'braided-line': [50, 150],
  'fluorocarbon-line': [50, 120],
  'monofilament-line': [60, 150],
  crankbaits: [8, 40],
  'soft-plastics': [20, 40],
  'spinners-spoons': [5, 20],
  flies: [5, 15],
  hooks: [10, 40],
  'sinkers-swivels': [80, 400],
  waders: [1200, 2200],
  jackets: [400, 900],
  'hats-gloves': [50, 150],
  'tackle-boxes': [500, 2500],
  'nets-tools': [400, 1500],
};

/** The spread for a leaf category the table does not know. */
export const OTHER_WEIGHT_GRAMS: readonly [number, number] = [100, 1000];

/**
 * Tax class by leaf category slug; every category not named is STANDARD. The store sells no
 * books, food bait or gift cards (the usual REDUCED and ZERO goods), so nothing is named yet.
 */
export const TAX_CLASS_BY_CATEGORY: Readonly<Record<string, TaxClass>> = {};

export const weightRangeOf = (leafSlug: string) => WEIGHT_GRAMS[leafSlug] ?? OTHER_WEIGHT_GRAMS;

export const taxClassOf = (leafSlug: string): TaxClass =>
  TAX_CLASS_BY_CATEGORY[leafSlug] ?? 'STANDARD';
