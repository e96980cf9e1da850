import {
  DomainError,
  money,
  pageSize,
  parseTimeIdCursor,
  timeIdCursor,
  toConnection,
} from '@shop/subgraph-kit';
import type { CatalogContext } from '../context.ts';
import { loadAll } from '../data/loaders.ts';
import { listReviews } from '../data/products.ts';
import { attributeList, storedTaxClass } from '../domain/product-input.ts';
import type {
  CategoryResolvers,
  ProductResolvers,
  ReviewResolvers,
  SellerResolvers,
} from '../generated/resolvers-types.ts';
import { productConnection } from './product-list.ts';

async function mustExist<T>(value: Promise<T | null>, what: string): Promise<T> {
  const found = await value;
  // A product pointing at a missing category/seller breaks a foreign key; it cannot happen
  // unless the database is damaged, so it is reported rather than hidden.
  if (!found) throw new DomainError('NOT_FOUND', `${what} not found`);
  return found;
}

export const Product: ProductResolvers<CatalogContext> = {
  __resolveReference: (ref, ctx) => ctx.loaders.product.load(ref.id),
  price: (p) => money(p.price, p.currency),
  category: (p, _, ctx) => mustExist(ctx.loaders.category.load(p.categoryId), 'category'),
  seller: (p, _, ctx) => mustExist(ctx.loaders.seller.load(p.sellerId), 'seller'),
  inStock: (p) => p.stock > 0,
  taxClass: (p) => storedTaxClass(p.taxClass),
  rating: (p) => (p.ratingAvg === null ? null : Math.round(p.ratingAvg * 100) / 100),
  reviewCount: (p) => p.ratingCount,
  attributes: (p) => attributeList(p.attributes),
  createdAt: (p) => p.createdAt.toISOString(),
  updatedAt: (p) => p.updatedAt.toISOString(),
  deletedAt: (p) => p.deletedAt?.toISOString() ?? null,
  reviews: async (p, args, ctx) => {
    const limit = pageSize(args.first, 10);
    const page = await listReviews(ctx.prisma, p.id, limit, parseTimeIdCursor(args.after));
    return toConnection(page.rows, limit, page.totalCount, timeIdCursor);
  },
};

export const Category: CategoryResolvers<CatalogContext> = {
  __resolveReference: (ref, ctx) => ctx.loaders.category.load(ref.id),
  parent: (c, _, ctx) => (c.parentId ? ctx.loaders.category.load(c.parentId) : null),
  children: (c, _, ctx) => ctx.loaders.children.load(c.id),
  // Two batched queries whatever the depth: the ancestor ids, then their rows.
  path: async (c, _, ctx) =>
    loadAll(ctx.loaders.category, [...(await ctx.loaders.ancestorIds.load(c.id))].reverse()),
  ancestorIds: (c, _, ctx) => ctx.loaders.ancestorIds.load(c.id),
  products: (c, args, ctx) => productConnection(ctx, args, { categoryId: c.id }),
};

export const Seller: SellerResolvers<CatalogContext> = {
  __resolveReference: (ref, ctx) => ctx.loaders.seller.load(ref.id),
  products: (s, args, ctx) => productConnection(ctx, args, { sellerId: s.id }),
};

export const Review: ReviewResolvers<CatalogContext> = {
  __resolveReference: (ref, ctx) => ctx.loaders.review.load(ref.id),
  author: (r) => ({ __typename: 'User', id: r.userId }),
  product: (r, _, ctx) => mustExist(ctx.loaders.product.load(r.productId), 'product'),
  createdAt: (r) => r.createdAt.toISOString(),
};
