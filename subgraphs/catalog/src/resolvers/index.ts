import type { Category, Product, Review, Seller } from '@shop/prisma/catalog';
import {
  money,
  notFound,
  pageSize,
  parseId,
  parseTimeIdCursor,
  timeIdCursor,
  toConnection,
} from '@shop/subgraph-kit';
import type { CatalogContext } from '../context.ts';
import { listProductsNewest, listReviews } from '../data/products.ts';
import type { Resolvers } from '../generated/resolvers-types.ts';

async function mustExist<T>(value: Promise<T | null>, what: string): Promise<T> {
  const found = await value;
  // A product pointing at a missing category/seller breaks a foreign key; it cannot happen
  // unless the database is damaged, so it is reported rather than hidden.
  if (!found) throw notFound(`${what} not found`);
  return found;
}

export const resolvers: Resolvers = {
  Query: {
    product: (_: unknown, args: { id: string }, ctx: CatalogContext) =>
      ctx.loaders.product.load(parseId(args.id)),
    products: async (
      _: unknown,
      args: { first?: number | null; after?: string | null },
      ctx: CatalogContext,
    ) => {
      const limit = pageSize(args.first);
      const page = await listProductsNewest(ctx.prisma, limit, parseTimeIdCursor(args.after));
      return toConnection(page.rows, limit, page.totalCount, timeIdCursor);
    },
    categories: (_: unknown, __: unknown, ctx: CatalogContext) =>
      ctx.prisma.category.findMany({ orderBy: [{ name: 'asc' }] }),
    category: (_: unknown, args: { id: string }, ctx: CatalogContext) =>
      ctx.loaders.category.load(parseId(args.id)),
    seller: (_: unknown, args: { id: string }, ctx: CatalogContext) =>
      ctx.loaders.seller.load(parseId(args.id)),
  },
  Product: {
    __resolveReference: (ref: { id: string }, ctx: CatalogContext) =>
      ctx.loaders.product.load(ref.id),
    price: (p: Product) => money(p.price, p.currency),
    category: (p: Product, _: unknown, ctx: CatalogContext) =>
      mustExist(ctx.loaders.category.load(p.categoryId), 'category'),
    seller: (p: Product, _: unknown, ctx: CatalogContext) =>
      mustExist(ctx.loaders.seller.load(p.sellerId), 'seller'),
    inStock: (p: Product) => p.stock > 0,
    rating: (p: Product) => (p.ratingAvg === null ? null : Math.round(p.ratingAvg * 100) / 100),
    reviewCount: (p: Product) => p.ratingCount,
    createdAt: (p: Product) => p.createdAt.toISOString(),
    reviews: async (
      p: Product,
      args: { first?: number | null; after?: string | null },
      ctx: CatalogContext,
    ) => {
      const limit = pageSize(args.first, 10);
      const page = await listReviews(ctx.prisma, p.id, limit, parseTimeIdCursor(args.after));
      return toConnection(page.rows, limit, page.totalCount, timeIdCursor);
    },
  },
  Category: {
    parent: (c: Category, _: unknown, ctx: CatalogContext) =>
      c.parentId ? ctx.loaders.category.load(c.parentId) : null,
    children: (c: Category, _: unknown, ctx: CatalogContext) =>
      ctx.prisma.category.findMany({ where: { parentId: c.id }, orderBy: [{ name: 'asc' }] }),
  },
  Seller: {
    description: (s: Seller) => s.description,
  },
  Review: {
    author: (r: Review) => ({ __typename: 'User', id: r.userId }),
    createdAt: (r: Review) => r.createdAt.toISOString(),
  },
};
