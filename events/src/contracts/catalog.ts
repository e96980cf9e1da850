import { z } from 'zod';
import { defineEvent } from './envelope.ts';
import { moneySchema } from './money.ts';

/** The product as the search index and analytics need it (a snapshot, not a diff). */
const productSnapshot = z.object({
  productId: z.uuid(),
  sellerId: z.uuid(),
  categoryId: z.uuid().nullable(),
  name: z.string().min(1),
  description: z.string().nullable().optional(),
  price: moneySchema,
  stock: z.number().int().nonnegative(),
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
