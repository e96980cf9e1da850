import { DomainError, requireIdentity, requireRole } from '@shop/subgraph-kit';
import type { CatalogContext } from '../context.ts';
import { deleteReviewRow, insertReview } from '../data/review-writes.ts';
import { insertSeller, updateSellerRow } from '../data/seller-writes.ts';
import {
  insertCategory,
  insertProduct,
  insertProductView,
  softDeleteProduct,
  updateProductRow,
} from '../data/writes.ts';
import { invalid } from '../domain/errors.ts';
import {
  assertManagesReview,
  assertManagesSeller,
  assertOwnsSeller,
  sellerOwnerFor,
} from '../domain/permissions.ts';
import { parseProductFields } from '../domain/product-input.ts';
import { parseOwnerUserId, parseSellerFields } from '../domain/seller-input.ts';
import {
  parseEntityId,
  parseSlug,
  parseText,
  parseWholeNumber,
  slugify,
} from '../domain/validation.ts';
import type { MutationResolvers } from '../generated/resolvers-types.ts';

const notFound = (what: string, field: string) =>
  new DomainError('NOT_FOUND', `${what} not found`, { field });

async function existing<T>(row: Promise<T | null>, what: string, field: string): Promise<T> {
  const found = await row;
  if (!found) throw notFound(what, field);
  return found;
}

/** A product that is listed: a deleted one is NOT_FOUND to every mutation. */
const listed = async <T extends { deletedAt: Date | null }>(
  row: Promise<T | null>,
  field: string,
) =>
  existing(
    row.then((p) => (p?.deletedAt ? null : p)),
    'Product',
    field,
  );

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
    const product = await listed(ctx.loaders.product.load(productId), 'id');
    const seller = await existing(ctx.loaders.seller.load(product.sellerId), 'Seller', 'sellerId');
    assertManagesSeller(caller, seller);
    if (fields.categoryId)
      await existing(ctx.loaders.category.load(fields.categoryId), 'Category', 'categoryId');
    if (Object.keys(fields).length === 0) return product;
    const updated = await updateProductRow(ctx.prisma, productId, fields);
    ctx.loaders.product.clear(productId).prime(productId, updated);
    return updated;
  },

  deleteProduct: async (_, { id }, ctx) => {
    const caller = requireRole(ctx, 'SELLER', 'ADMIN');
    const productId = parseEntityId(id, 'id');
    const product = await listed(ctx.loaders.product.load(productId), 'id');
    const seller = await existing(ctx.loaders.seller.load(product.sellerId), 'Seller', 'sellerId');
    assertManagesSeller(caller, seller);
    // A concurrent delete got there first: the product is gone either way, but only one caller
    // deleted it, and the other hears so as it would for any unknown product.
    if (!(await softDeleteProduct(ctx.prisma, productId))) throw notFound('Product', 'id');
    ctx.loaders.product.clear(productId);
    return true;
  },

  createSeller: async (_, { input }, ctx) => {
    const caller = requireRole(ctx, 'SELLER', 'ADMIN');
    const { ownerUserId, ...rest } = input;
    const fields = parseSellerFields(rest, true);
    const owner = sellerOwnerFor(caller, parseOwnerUserId(ownerUserId));
    return insertSeller(ctx.prisma, { ...fields, name: fields.name!, slug: fields.slug! }, owner);
  },

  updateSeller: async (_, { id, input }, ctx) => {
    const caller = requireRole(ctx, 'SELLER', 'ADMIN');
    const sellerId = parseEntityId(id, 'id');
    const fields = parseSellerFields(input);
    const seller = await existing(ctx.loaders.seller.load(sellerId), 'Seller', 'id');
    assertOwnsSeller(caller, seller);
    if (Object.keys(fields).length === 0) return seller;
    const updated = await updateSellerRow(ctx.prisma, sellerId, fields);
    ctx.loaders.seller.clear(sellerId).prime(sellerId, updated);
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
    await listed(ctx.loaders.product.load(productId), 'productId');
    const review = await insertReview(ctx.prisma, {
      productId,
      userId: caller.userId,
      rating,
      text,
    });
    ctx.loaders.product.clear(productId);
    return review;
  },

  deleteReview: async (_, { id }, ctx) => {
    const caller = requireIdentity(ctx);
    const reviewId = parseEntityId(id, 'id');
    const review = await existing(ctx.loaders.review.load(reviewId), 'Review', 'id');
    assertManagesReview(caller, review);
    if (!(await deleteReviewRow(ctx.prisma, review))) throw notFound('Review', 'id');
    ctx.loaders.review.clear(reviewId);
    ctx.loaders.product.clear(review.productId);
    return true;
  },

  recordProductView: async (_, args, ctx) => {
    const productId = parseEntityId(args.productId, 'productId');
    if (!(await insertProductView(ctx.prisma, productId, ctx.identity?.userId ?? null)))
      throw notFound('Product', 'productId');
    return true;
  },
};
