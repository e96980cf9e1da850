import { z } from 'zod';
import { defineEvent } from './envelope.ts';
import { moneySchema } from './money.ts';

const orderLine = z.object({
  productId: z.uuid(),
  quantity: z.number().int().positive(),
  unitPrice: moneySchema,
});
const stockLine = z.object({ productId: z.uuid(), quantity: z.number().int().positive() });

export const OrderPlaced = defineEvent('OrderPlaced', {
  topic: 'orders',
  aggregateType: 'order',
  payload: z.object({
    orderId: z.uuid(),
    userId: z.uuid(),
    items: z.array(orderLine).min(1),
    total: moneySchema,
  }),
});

export const OrderCancelled = defineEvent('OrderCancelled', {
  topic: 'orders',
  aggregateType: 'order',
  payload: z.object({
    orderId: z.uuid(),
    userId: z.uuid(),
    reason: z.string().min(1),
    /** The status the order left; tells compensations what to undo. */
    previousStatus: z.string().min(1),
  }),
});

export const OrderCompleted = defineEvent('OrderCompleted', {
  topic: 'orders',
  aggregateType: 'order',
  payload: z.object({ orderId: z.uuid(), userId: z.uuid(), total: moneySchema }),
});

export const StockReserved = defineEvent('StockReserved', {
  topic: 'stock',
  aggregateType: 'order',
  payload: z.object({ orderId: z.uuid(), items: z.array(stockLine).min(1) }),
});

export const StockRejected = defineEvent('StockRejected', {
  topic: 'stock',
  aggregateType: 'order',
  payload: z.object({
    orderId: z.uuid(),
    reason: z.string().min(1),
    productIds: z.array(z.uuid()),
  }),
});

export const StockReleased = defineEvent('StockReleased', {
  topic: 'stock',
  aggregateType: 'order',
  payload: z.object({ orderId: z.uuid(), items: z.array(stockLine) }),
});

export const PaymentAuthorized = defineEvent('PaymentAuthorized', {
  topic: 'payments',
  aggregateType: 'order',
  payload: z.object({ orderId: z.uuid(), paymentId: z.string().min(1), amount: moneySchema }),
});

export const PaymentFailed = defineEvent('PaymentFailed', {
  topic: 'payments',
  aggregateType: 'order',
  payload: z.object({ orderId: z.uuid(), reason: z.string().min(1) }),
});

export const PaymentRefunded = defineEvent('PaymentRefunded', {
  topic: 'payments',
  aggregateType: 'order',
  payload: z.object({ orderId: z.uuid(), paymentId: z.string().min(1), amount: moneySchema }),
});
