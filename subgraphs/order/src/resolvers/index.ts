import {
  money,
  multiply,
  pageSize,
  parseTimeIdCursor,
  requireIdentity,
  timeIdCursor,
  toConnection,
} from '@shop/subgraph-kit';
import { listOrderPage } from '../data/order-list.ts';
import { findOrder, type OrderItemWithCurrency, type OrderWithItems } from '../data/orders.ts';
import { noteEventTrace } from '@shop/tracing';
import { noticeTraceOf } from '../events/order-updates.ts';
import type { FulfillmentActor, Resolvers } from '../generated/resolvers-types.ts';
import { checkoutQuote } from './checkout.ts';
import { orderTotals, shippingAddressOf, shippingMethodOf } from './order-checkout.ts';
import { discountCodeResolvers } from './discount-codes.ts';
import { cancelOrder, orderFor, orderUpdatesFor, placeOrder } from './orders.ts';
import { markDelivered, markPacked, markShipped } from './fulfillment.ts';
import { approveReturn, markReturnReceived, rejectReturn, requestReturn } from './returns.ts';
import { returnResolvers, returnsVisibleTo } from './return-fields.ts';
import { listOrders, visibleLines } from './order-management.ts';

/** A customer's own list (myOrders): every order of theirs. */
const NO_FILTER = { status: null, fulfillmentStatus: null, createdFrom: null, createdTo: null };

export const resolvers: Resolvers = {
  Query: {
    order: (_, args, ctx) => orderFor(ctx, args.id),
    myOrders: async (_, args, ctx) => {
      const { userId } = requireIdentity(ctx);
      const limit = pageSize(args.first);
      const page = await listOrderPage(ctx.db, {
        filter: NO_FILTER,
        userId,
        productIds: null,
        limit,
        after: parseTimeIdCursor(args.after),
      });
      return toConnection(page.rows, limit, page.totalCount, timeIdCursor);
    },
    orders: (_, args, ctx) => listOrders(ctx, args),
    ...discountCodeResolvers.Query,
    checkoutQuote: (_, args, ctx) => checkoutQuote(ctx, args.input),
  },
  Mutation: {
    placeOrder: (_, args, ctx) => placeOrder(ctx, args.idempotencyKey),
    cancelOrder: (_, args, ctx) => cancelOrder(ctx, args.id, args.reason),
    markPacked: (_, args, ctx) => markPacked(ctx, args.orderId),
    markShipped: (_, args, ctx) =>
      markShipped(ctx, args.orderId, args.carrier, args.trackingNumber),
    markDelivered: (_, args, ctx) => markDelivered(ctx, args.orderId),
    requestReturn: (_, args, ctx) => requestReturn(ctx, args.orderId, args.lines, args.reason),
    approveReturn: (_, args, ctx) => approveReturn(ctx, args.id),
    rejectReturn: (_, args, ctx) => rejectReturn(ctx, args.id, args.reason),
    markReturnReceived: (_, args, ctx) => markReturnReceived(ctx, args.id),
    ...discountCodeResolvers.Mutation,
  },
  Subscription: {
    orderUpdated: {
      subscribe: (_, args, ctx) => orderUpdatesFor(ctx, args.id),
      resolve: (order: OrderWithItems, _args: unknown, ctx: object) => {
        // The push of a state read for a traced change is sent with that trace (the gateway's
        // push span joins it).
        noteEventTrace(ctx, noticeTraceOf(order));
        return order;
      },
    },
  },
  Order: {
    __resolveReference: async (ref, ctx) => {
      if (!ctx.identity) return null;
      const order = await findOrder(ctx.db, ref.id);
      return order && (order.userId === ctx.identity.userId || ctx.identity.role === 'ADMIN')
        ? order
        : null;
    },
    total: (o) => money(o.totalAmount, o.currency),
    totals: (o) => orderTotals(o),
    shippingAddress: (o) => shippingAddressOf(o),
    shippingMethod: (o) => shippingMethodOf(o)?.method ?? null,
    shippingOption: (o) => shippingMethodOf(o),
    discountCode: (o) => o.discountCode,
    // A seller listing orders sees only their own lines of others' orders (order-management).
    items: (o, _, ctx) => visibleLines(o, ctx).map((item) => ({ ...item, currency: o.currency })),
    createdAt: (o) => o.createdAt.toISOString(),
    updatedAt: (o) => o.updatedAt.toISOString(),
    workflow: (o) => o.workflow.map((w) => ({ ...w, at: w.at.toISOString() })),
    fulfillment: (o) => o,
    returns: (o, _, ctx) => returnsVisibleTo(o, ctx),
  },
  ...returnResolvers,
  Fulfillment: {
    status: (o) => o.fulfillmentStatus,
    carrier: (o) => o.carrier,
    trackingNumber: (o) => o.trackingNumber,
    estimatedDelivery: (o) => o.estimatedDelivery?.toISOString().slice(0, 10) ?? null,
    events: (o) => o.fulfillmentEvents,
  },
  FulfillmentEvent: {
    status: (e) => e.status,
    at: (e) => e.at.toISOString(),
    detail: (e) => e.detail,
    actor: (e) => e.actor as FulfillmentActor,
  },
  DiscountCode: discountCodeResolvers.DiscountCode,
  OrderItem: {
    product: (item: OrderItemWithCurrency) => ({ __typename: 'Product', id: item.productId }),
    unitPrice: (item) => money(item.unitPrice, item.currency),
    lineTotal: (item) => multiply(money(item.unitPrice, item.currency), item.quantity),
    discount: (item) => money(item.discountAmount, item.currency),
    tax: (item) => money(item.taxAmount, item.currency),
  },
};
