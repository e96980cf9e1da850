import { requireIdentity } from '@shop/subgraph-kit';
import type { CatalogContext } from '../context.ts';
import { parseEntityId } from '../domain/validation.ts';
import type { QueryResolvers } from '../generated/resolvers-types.ts';
import { productConnection } from './product-list.ts';

export const Query: QueryResolvers<CatalogContext> = {
  // Deleted products answer null here; `_entities` still resolves them for orders and carts.
  product: async (_, args, ctx) => {
    const product = await ctx.loaders.product.load(parseEntityId(args.id, 'id'));
    return product?.deletedAt ? null : product;
  },
  products: (_, args, ctx) => productConnection(ctx, args),
  categories: (_, __, ctx) =>
    ctx.prisma.category.findMany({ orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
  rootCategories: (_, __, ctx) =>
    ctx.prisma.category.findMany({
      where: { parentId: null },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    }),
  category: (_, args, ctx) => ctx.loaders.category.load(parseEntityId(args.id, 'id')),
  seller: (_, args, ctx) => ctx.loaders.seller.load(parseEntityId(args.id, 'id')),
  sellers: (_, __, ctx) =>
    ctx.prisma.seller.findMany({ orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
  mySellers: (_, __, ctx) =>
    ctx.prisma.seller.findMany({
      where: { ownerUserId: requireIdentity(ctx).userId },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    }),
  // Internal (@inaccessible): deleted products stay in, since orders placed before the delete
  // still hold them and their seller still fulfils those orders.
  mySellerProductIds: async (_, __, ctx) => {
    const ownerUserId = requireIdentity(ctx).userId;
    const rows = await ctx.prisma.product.findMany({
      where: { seller: { ownerUserId } },
      select: { id: true },
    });
    return rows.map((row) => row.id);
  },
};
