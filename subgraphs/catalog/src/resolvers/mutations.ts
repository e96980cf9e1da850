import { requireIdentity, requireRole } from '@shop/subgraph-kit';
import type { CatalogContext } from '../context.ts';
import {
  insertCategory,
  insertProduct,
  insertProductView,
  insertReview,
  updateProductRow,
} from '../data/writes.ts';
import { CatalogError, invalid } from '../domain/errors.ts';
import { assertManagesSeller } from '../domain/permissions.ts';
import { parseProductFields } from '../domain/product-input.ts';
import {
  parseEntityId,
  parseSlug,
  parseText,
  parseWholeNumber,
  slugify,
} from '../domain/validation.ts';
import type { MutationResolvers } from '../generated/resolvers-types.ts';

const notFound = (what: string, field: string) =>
  new CatalogError('NOT_FOUND', `${what} not found`, field);

async function existing<T>(row: Promise<T | null>, what: string, field: string): Promise<T> {
  const found = await row;
  if (!found) throw notFound(what, field);
  return found;
}

export const MAX_REVIEW_TEXT = 2000;

export const Mutation: MutationResolvers<CatalogContext> = {
  createCategory: async (_, { input }, ctx) => {
    requireRole(ctx, 'ADMIN');
    const name = parseText(input.name, 'name', 120);
    const slug = input.slug != null ? parseSlug(input.slug, 'slug') : slugify(name);
    if (!slug) throw invalid('slug', 'slug cannot be derived from this name; give one');
    const description = parseText(input.description ?? '', 'description', 1000, {
      allowEmpty: true,
      multiline: true,
    });
    const parentId = input.parentId != null ? parseEntityId(input.parentId, 'parentId') : null;
    if (parentId)
      await existing(ctx.loaders.category.load(parentId), 'Parent category', 'parentId');
    return insertCategory(ctx.prisma, { name, slug, description, parentId });
  },

  createProduct: async (_, { input }, ctx) => {
    const caller = requireRole(ctx, 'SELLER', 'ADMIN');
    const { sellerId: rawSellerId, ...rest } = input;
    const sellerId = parseEntityId(rawSellerId, 'sellerId');
    const fields = parseProductFields(rest, ['name', 'price', 'stock', 'categoryId']);
    const seller = await existing(ctx.loaders.seller.load(sellerId), 'Seller', 'sellerId');
    assertManagesSeller(caller, seller);
    await existing(ctx.loaders.category.load(fields.categoryId!), 'Category', 'categoryId');
    return insertProduct(ctx.prisma, sellerId, {
      ...fields,
      name: fields.name!,
      price: fields.price!,
      stock: fields.stock!,
      categoryId: fields.categoryId!,
    });
  },

  updateProduct: async (_, { id, input }, ctx) => {
    const caller = requireRole(ctx, 'SELLER', 'ADMIN');
    const productId = parseEntityId(id, 'id');
    const fields = parseProductFields(input);
    const product = await existing(ctx.loaders.product.load(productId), 'Product', 'id');
    const seller = await existing(ctx.loaders.seller.load(product.sellerId), 'Seller', 'sellerId');
    assertManagesSeller(caller, seller);
    if (fields.categoryId)
      await existing(ctx.loaders.category.load(fields.categoryId), 'Category', 'categoryId');
    if (Object.keys(fields).length === 0) return product;
    const updated = await updateProductRow(ctx.prisma, productId, fields);
    ctx.loaders.product.clear(productId).prime(productId, updated);
    return updated;
  },

  addReview: async (_, args, ctx) => {
    const caller = requireIdentity(ctx);
    const productId = parseEntityId(args.productId, 'productId');
    const rating = parseWholeNumber(args.rating, 'rating', 1, 5);
    const text = parseText(args.text, 'text', MAX_REVIEW_TEXT, {
      allowEmpty: true,
      multiline: true,
    });
    await existing(ctx.loaders.product.load(productId), 'Product', 'productId');
    const review = await insertReview(ctx.prisma, {
      productId,
      userId: caller.userId,
      rating,
      text,
    });
    ctx.loaders.product.clear(productId);
    return review;
  },

  recordProductView: async (_, args, ctx) => {
    const productId = parseEntityId(args.productId, 'productId');
    if (!(await insertProductView(ctx.prisma, productId, ctx.identity?.userId ?? null)))
      throw notFound('Product', 'productId');
    return true;
  },
};
