import { z } from 'zod';
import { defineEvent } from './envelope.ts';
import { moneySchema } from './money.ts';

const orderLine = z.object({
  productId: z.uuid(),
  quantity: z.number().int().positive(),
  unitPrice: moneySchema,
  /**
   * The line's share of the order's discount and its tax, as priced at placement (absent in
   * events of orders placed before the checkout existed). What the line brought in is
   * unitPrice x quantity - discount, plus `tax` in a NET store (a GROSS price includes it).
   */
  discount: moneySchema.optional(),
  tax: moneySchema.optional(),
});
const stockLine = z.object({ productId: z.uuid(), quantity: z.number().int().positive() });

export const OrderPlaced = defineEvent('OrderPlaced', {
  topic: 'orders',
  aggregateType: 'order',
  payload: z.object({
    orderId: z.uuid(),
    userId: z.uuid(),
    items: z.array(orderLine).min(1),
    /** What the customer pays: products - discount + shipping (+ tax when prices are net). */
    total: moneySchema,
    /**
     * The checkout's breakdown (absent in events of orders placed before the checkout existed):
     * `tax` is added to the total in a NET store and included in it in a GROSS one.
     */
    totals: z
      .object({
        subtotal: moneySchema,
        discount: moneySchema,
        shipping: moneySchema,
        tax: moneySchema,
        priceMode: z.enum(['NET', 'GROSS']),
      })
      .optional(),
    discountCode: z.string().min(1).max(40).nullable().optional(),
    /** ISO 3166-1 alpha-2 destination. */
    shippingCountry: z.string().length(2).optional(),
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

/** A received return's units back in stock (once per return), from the catalog's transaction. */
export const StockRestocked = defineEvent('StockRestocked', {
  topic: 'stock',
  aggregateType: 'order',
  payload: z.object({ returnId: z.uuid(), orderId: z.uuid(), items: z.array(stockLine).min(1) }),
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
  payload: z.object({
    orderId: z.uuid(),
    paymentId: z.string().min(1),
    amount: moneySchema,
    /**
     * Why: absent or null for a whole order refunded (cancelled after payment, a lost parcel),
     * the return's id for a return's refund (part of the payment).
     */
    returnId: z.uuid().nullable().optional(),
  }),
});

/** Who made a fulfilment step: a seller or an admin by hand, or the carrier. */
const fulfillmentActor = z.enum(['SELLER', 'ADMIN', 'CARRIER']);

/** The order's parcel is packed (fulfilment UNFULFILLED -> PACKED). */
export const OrderPacked = defineEvent('OrderPacked', {
  topic: 'orders',
  aggregateType: 'order',
  payload: z.object({ orderId: z.uuid(), userId: z.uuid(), by: fulfillmentActor }),
});

/** The parcel left with a carrier (PACKED -> SHIPPED). */
export const OrderShipped = defineEvent('OrderShipped', {
  topic: 'orders',
  aggregateType: 'order',
  payload: z.object({
    orderId: z.uuid(),
    userId: z.uuid(),
    by: fulfillmentActor,
    carrier: z.string().min(1).max(100),
    trackingNumber: z.string().min(1).max(64),
    /** ISO date (YYYY-MM-DD): ship date + the shipping method's maximum days; null without one. */
    estimatedDelivery: z.iso.date().nullable(),
  }),
});

/** The parcel reached the customer (SHIPPED -> DELIVERED). */
export const OrderDelivered = defineEvent('OrderDelivered', {
  topic: 'orders',
  aggregateType: 'order',
  payload: z.object({ orderId: z.uuid(), userId: z.uuid(), by: fulfillmentActor }),
});

/** What to do with a parcel the carrier lost: refund the order, or send it again. */
const lostParcelResolution = z.enum(['REFUND', 'RESHIP']);

/**
 * The carrier lost a shipped parcel. REFUND: the payment provider refunds the whole order
 * (the fulfilment stays SHIPPED, with the loss in its events); RESHIP: the carrier sends a new
 * parcel (OrderShipped again, with a new tracking number).
 */
export const ParcelLost = defineEvent('ParcelLost', {
  topic: 'orders',
  aggregateType: 'order',
  payload: z.object({
    orderId: z.uuid(),
    userId: z.uuid(),
    trackingNumber: z.string().min(1).max(64),
    resolution: lostParcelResolution,
  }),
});

/** Units of one product sent back, with this line's part of the refund. */
const returnLine = z.object({
  productId: z.uuid(),
  quantity: z.number().int().positive(),
  refund: moneySchema,
});

/** A customer asked to send back part or all of a delivered order (DELIVERED -> RETURN_REQUESTED). */
export const ReturnRequested = defineEvent('ReturnRequested', {
  topic: 'orders',
  aggregateType: 'order',
  payload: z.object({
    returnId: z.uuid(),
    orderId: z.uuid(),
    userId: z.uuid(),
    lines: z.array(returnLine).min(1),
    /** The whole refund: the lines' parts plus shipping when the whole order comes back. */
    refund: moneySchema,
    reason: z.string().min(1).max(500),
  }),
});

/** An admin or a seller accepted the return: the parcel is on its way back. */
export const ReturnApproved = defineEvent('ReturnApproved', {
  topic: 'orders',
  aggregateType: 'order',
  payload: z.object({
    returnId: z.uuid(),
    orderId: z.uuid(),
    userId: z.uuid(),
    by: fulfillmentActor,
  }),
});

/** An admin or a seller refused the return (RETURN_REQUESTED -> DELIVERED). */
export const ReturnRejected = defineEvent('ReturnRejected', {
  topic: 'orders',
  aggregateType: 'order',
  payload: z.object({
    returnId: z.uuid(),
    orderId: z.uuid(),
    userId: z.uuid(),
    by: fulfillmentActor,
    reason: z.string().min(1).max(500),
  }),
});

/**
 * The returned parcel came back (RETURN_REQUESTED -> RETURNED): catalog puts the units back in
 * stock and the payment provider refunds `refund`, each once per return.
 */
export const ReturnReceived = defineEvent('ReturnReceived', {
  topic: 'orders',
  aggregateType: 'order',
  payload: z.object({
    returnId: z.uuid(),
    orderId: z.uuid(),
    userId: z.uuid(),
    by: fulfillmentActor,
    lines: z.array(returnLine).min(1),
    refund: moneySchema,
  }),
});
