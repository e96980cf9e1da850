import { z } from 'zod';
import { TAX_CLASSES } from '@shop/pricing';
import { defineEvent } from './envelope.ts';
import { moneySchema } from './money.ts';

/**
 * What a product weighed and how it was taxed in events written before products carried
 * either: the values catalog migration 0007 gave the rows that existed then. (Not exported:
 * every export of this module is taken for an event contract.)
 */
const PRODUCT_EVENT_DEFAULTS = { weightGrams: 250, taxClass: 'STANDARD' } as const;

/**
 * The product as the search index, analytics and read models of other services need it (a
 * snapshot, not a diff). `weightGrams` and `taxClass` came later: an older event without them
 * reads as PRODUCT_EVENT_DEFAULTS.
 */
const productSnapshot = z.object({
  productId: z.uuid(),
  sellerId: z.uuid(),
  categoryId: z.uuid().nullable(),
  name: z.string().min(1),
  description: z.string().nullable().optional(),
  price: moneySchema,
  stock: z.number().int().nonnegative(),
  /** Shipping weight of one unit, whole grams. */
  weightGrams: z.number().int().positive().default(PRODUCT_EVENT_DEFAULTS.weightGrams),
  taxClass: z.enum(TAX_CLASSES).default(PRODUCT_EVENT_DEFAULTS.taxClass),
});

export const ProductCreated = defineEvent('ProductCreated', {
  topic: 'products',
  aggregateType: 'product',
  payload: productSnapshot,
});

export const ProductUpdated = defineEvent('ProductUpdated', {
  topic: 'products',
  aggregateType: 'product',
  payload: productSnapshot,
});

export const ProductDeleted = defineEvent('ProductDeleted', {
  topic: 'products',
  aggregateType: 'product',
  payload: z.object({ productId: z.uuid() }),
});

export const ProductViewed = defineEvent('ProductViewed', {
  topic: 'productViews',
  aggregateType: 'product',
  payload: z.object({ productId: z.uuid(), userId: z.uuid().nullable() }),
});

/** The seller as its search document needs it (a snapshot, not a diff). */
const sellerSnapshot = z.object({
  sellerId: z.uuid(),
  slug: z.string().min(1),
  name: z.string().min(1),
  description: z.string(),
  ownerUserId: z.uuid().nullable(),
});

export const SellerCreated = defineEvent('SellerCreated', {
  topic: 'sellers',
  aggregateType: 'seller',
  payload: sellerSnapshot,
});

export const SellerUpdated = defineEvent('SellerUpdated', {
  topic: 'sellers',
  aggregateType: 'seller',
  payload: sellerSnapshot,
});

export const SellerDeleted = defineEvent('SellerDeleted', {
  topic: 'sellers',
  aggregateType: 'seller',
  payload: z.object({ sellerId: z.uuid() }),
});

/**
 * Review events are keyed by product id (the topic's key), so one product's reviews and their
 * rating changes stay in order on one partition.
 */
const reviewSnapshot = z.object({
  reviewId: z.uuid(),
  productId: z.uuid(),
  userId: z.uuid(),
  rating: z.number().int().min(1).max(5),
  text: z.string(),
});

export const ReviewCreated = defineEvent('ReviewCreated', {
  topic: 'reviews',
  aggregateType: 'product',
  payload: reviewSnapshot,
});

export const ReviewUpdated = defineEvent('ReviewUpdated', {
  topic: 'reviews',
  aggregateType: 'product',
  payload: reviewSnapshot,
});

export const ReviewDeleted = defineEvent('ReviewDeleted', {
  topic: 'reviews',
  aggregateType: 'product',
  payload: z.object({ reviewId: z.uuid(), productId: z.uuid() }),
});
