import type { TaxClass } from '@shop/pricing';
import { taxClassOf, weightRangeOf } from './product-weights.ts';
import { Random } from './random.ts';
import {
  BRANDS,
  FIRST_NAMES,
  LAST_NAMES,
  LEAF_CATEGORIES,
  REVIEW_LINES,
  SELLERS,
  TOP_CATEGORIES,
} from './vocabulary.ts';

export interface StoreSize {
  products: number;
  customers: number;
  /** Share of products that have reviews. */
  reviewedShare: number;
}

export const DEFAULT_SIZE: StoreSize = { products: 3000, customers: 60, reviewedShare: 0.6 };

export interface CategoryRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  parentId: string | null;
}
export interface SellerRow {
  id: string;
  slug: string;
  name: string;
  description: string;
  ownerUserId: string;
}
export interface ProductRow {
  id: string;
  sku: string;
  name: string;
  description: string;
  price: string;
  currency: string;
  stock: number;
  attributes: Record<string, string>;
  images: string[];
  /** Shipping weight of one unit, whole grams. */
  weightGrams: number;
  taxClass: TaxClass;
  categoryId: string;
  sellerId: string;
  ratingAvg: number | null;
  ratingCount: number;
  createdAt: Date;
}
export interface ReviewRow {
  id: string;
  productId: string;
  userId: string;
  rating: number;
  text: string;
  createdAt: Date;
}
export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: 'CUSTOMER' | 'SELLER' | 'ADMIN';
}

export interface Store {
  categories: CategoryRow[];
  sellers: SellerRow[];
  products: ProductRow[];
  reviews: ReviewRow[];
  users: UserRow[];
}

/** Skews towards 4-5 stars, as real shop ratings do. */
function drawRating(random: Random): number {
  const r = random.next();
  return r < 0.45 ? 5 : r < 0.8 ? 4 : r < 0.9 ? 3 : r < 0.96 ? 2 : 1;
}

/** A whole fishing-tackle store, deterministic for a given seed and size. */
export function generateStore(size: StoreSize = DEFAULT_SIZE, seed = 20261123): Store {
  const random = new Random(seed);
  const users: UserRow[] = [
    { id: random.uuid(), email: 'admin@tackle.shop', name: 'Store Admin', role: 'ADMIN' },
  ];

  const categories: CategoryRow[] = [];
  const topIds = new Map<string, string>();
  for (const top of TOP_CATEGORIES) {
    const id = random.uuid();
    topIds.set(top.slug, id);
    categories.push({
      id,
      slug: top.slug,
      name: top.name,
      description: top.description,
      parentId: null,
    });
  }
  const leafIds = LEAF_CATEGORIES.map((leaf) => {
    const id = random.uuid();
    categories.push({
      id,
      slug: leaf.slug,
      name: leaf.name,
      description: `${leaf.name} from trusted brands.`,
      parentId: topIds.get(leaf.parent) ?? null,
    });
    return id;
  });

  const sellers: SellerRow[] = SELLERS.map((s, i) => {
    const owner: UserRow = {
      id: random.uuid(),
      email: `seller${i + 1}@tackle.shop`,
      name: `${s.name} Staff`,
      role: 'SELLER',
    };
    users.push(owner);
    return {
      id: random.uuid(),
      slug: s.slug,
      name: s.name,
      description: s.description,
      ownerUserId: owner.id,
    };
  });

  const customers: UserRow[] = Array.from({ length: size.customers }, (_, i) => ({
    id: random.uuid(),
    email: `customer${i + 1}@tackle.shop`,
    name: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
    role: 'CUSTOMER' as const,
  }));
  users.push(...customers);

  const products: ProductRow[] = [];
  const reviews: ReviewRow[] = [];
  // Weights come from a stream of their own, so adding them left every other generated value
  // (ids, names, prices, reviews) as it was for a given seed.
  const weights = new Random(seed ^ 0x5eed_9a35);
  const start = Date.UTC(2025, 0, 1);
  const span = Date.UTC(2026, 10, 1) - start;
  for (let i = 0; i < size.products; i++) {
    const leafIndex = random.int(0, LEAF_CATEGORIES.length - 1);
    const leaf = LEAF_CATEGORIES[leafIndex]!;
    const brand = random.pick(BRANDS);
    const series = random.pick(leaf.series);
    const spec = leaf.specs((items) => random.pick(items));
    const [low, high] = leaf.priceRange;
    const price =
      (low + random.next() * (high - low)).toFixed(0) + random.pick(['.99', '.95', '.49', '.00']);
    const id = random.uuid();
    const createdAt = new Date(start + Math.floor(random.next() * span));
    const blurbs = [random.pick(leaf.blurbs), random.pick(leaf.blurbs)].filter(
      (b, j, all) => all.indexOf(b) === j,
    );
    const product: ProductRow = {
      id,
      sku: `${leaf.slug.slice(0, 3).toUpperCase()}-${String(i + 1).padStart(6, '0')}`,
      name: `${brand} ${series} ${leaf.noun} ${spec.label}`,
      description: `${brand} ${series} ${leaf.noun.toLowerCase()}. ${blurbs.join(' ')} ${Object.entries(
        spec.attributes,
      )
        .map(([k, v]) => `${k}: ${v}`)
        .join(', ')}.`,
      price: Number(price).toFixed(2),
      currency: 'USD',
      stock: random.chance(0.08) ? 0 : random.int(1, 250),
      attributes: { brand, ...spec.attributes },
      images: [`https://images.tackle.shop/products/${id}/main.jpg`],
      weightGrams: weights.int(...weightRangeOf(leaf.slug)),
      taxClass: taxClassOf(leaf.slug),
      categoryId: leafIds[leafIndex]!,
      sellerId: random.pick(sellers).id,
      ratingAvg: null,
      ratingCount: 0,
      createdAt,
    };
    if (customers.length > 0 && random.chance(size.reviewedShare)) {
      const count = random.int(1, Math.min(8, customers.length));
      const reviewers = new Set<string>();
      while (reviewers.size < count) reviewers.add(random.pick(customers).id);
      let sum = 0;
      for (const userId of reviewers) {
        const rating = drawRating(random);
        sum += rating;
        reviews.push({
          id: random.uuid(),
          productId: id,
          userId,
          rating,
          text: random.pick(REVIEW_LINES[rating]!),
          createdAt: new Date(createdAt.getTime() + random.int(1, 200) * 86_400_000),
        });
      }
      product.ratingAvg = sum / reviewers.size;
      product.ratingCount = reviewers.size;
    }
    products.push(product);
  }
  return { categories, sellers, products, reviews, users };
}
